import { html, nothing } from 'lit';
import type { Labels } from './labels.ts';
import type { SessionState } from './persona-session.ts';

/** The persona's face while nothing streams: decorative unless the site owner gave it words. */
export function posterView(poster: string, state: SessionState, labels: Labels) {
  if (!poster || !['idle', 'ended', 'error'].includes(state)) return nothing;
  return html`<img part="poster" class="poster" src=${poster} alt=${labels.posterAlt} />`;
}

/** The "AI" badge: always visible while live, with a name a screen reader says in full. */
export function disclosureView(shown: boolean, state: SessionState, labels: Labels) {
  if (!shown || state !== 'live') return nothing;
  return html`<span
    part="disclosure"
    class="disclosure"
    role="img"
    aria-label=${labels.disclosureLabel}
    title=${labels.disclosureLabel}
    ><span aria-hidden="true">${labels.disclosureBadge}</span></span
  >`;
}
