// Entry of dist/anam-persona.js: the only place the tag is defined, and only once per page
// (a site may load the script twice).
import { AnamPersona } from './anam-persona.ts';

if (!customElements.get('anam-persona')) customElements.define('anam-persona', AnamPersona);
