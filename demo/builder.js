// The snippet builder: form → live <anam-persona> → the exact snippet and server settings to copy.
const form = document.getElementById('options');
const slot = document.getElementById('preview-slot');
const snippetOut = document.getElementById('snippet');
const settingsOut = document.getElementById('server-settings');
const copyStatus = document.getElementById('copy-status');

const DEFAULT_ACCENT = '#4f46e5';
let preview;

function readOptions() {
  const data = new FormData(form);
  const text = (name) => String(data.get(name) ?? '').trim();
  return {
    layout: text('layout'),
    position: text('position'),
    persona: text('persona'),
    mic: data.has('mic'),
    startMuted: data.has('startMuted'),
    transcript: data.has('transcript'),
    lang: text('lang'),
    accent: text('accent'),
    title: text('title'),
    start: text('start'),
    origin: text('origin').replace(/\/+$/, ''),
    host: text('host').replace(/\/+$/, ''),
  };
}

/** The element's attributes, in the order a site owner would read them. */
function attributesFor(options, tokenEndpoint) {
  const attributes = [['data-token-endpoint', tokenEndpoint]];
  if (options.persona) attributes.push(['persona', options.persona]);
  if (options.layout === 'floating') attributes.push(['layout', 'floating'], ['position', options.position]);
  if (!options.mic) attributes.push(['mic', 'off']);
  if (options.startMuted && options.mic) attributes.push(['start-muted', '']);
  if (options.transcript) attributes.push(['transcript', '']);
  if (options.lang) attributes.push(['lang', options.lang]);
  const labels = {};
  if (options.title) labels.title = options.title;
  if (options.start) labels.start = options.start;
  if (Object.keys(labels).length > 0) attributes.push(['labels', JSON.stringify(labels)]);
  return attributes;
}

function escapeAttribute(value) {
  return value.replace(/&/g, '&amp;').replace(/'/g, '&#39;').replace(/</g, '&lt;');
}

function renderPreview(options) {
  // A fresh element each time: attributes such as layout are read as a whole, and the old session ends.
  preview?.remove();
  preview = document.createElement('anam-persona');
  for (const [name, value] of attributesFor(options, '/api/session-token')) preview.setAttribute(name, value);
  if (options.accent !== DEFAULT_ACCENT) preview.style.setProperty('--anam-persona-accent', options.accent);
  slot.append(preview);
}

function renderSnippet(options) {
  const attributes = attributesFor(options, `${options.host}/api/session-token`)
    .map(([name, value]) => (value === '' ? name : `${name}='${escapeAttribute(value)}'`))
    .join('\n  ');
  const style = options.accent !== DEFAULT_ACCENT ? `\n  style="--anam-persona-accent: ${options.accent}"` : '';
  snippetOut.textContent = `<script src="${options.host}/dist/anam-persona.js" defer></script>\n<anam-persona\n  ${attributes}${style}\n></anam-persona>`;
  const presetName = options.persona || 'default';
  const presetFile = { default: presetName, presets: { [presetName]: { personaId: '<your persona id from the Anam Lab>' } } };
  settingsOut.textContent = [
    '# .env of the token server',
    'ANAM_API_KEY=<your Anam API key>',
    `ALLOWED_ORIGINS=${options.origin}`,
    'PERSONAS_FILE=./personas.json',
    '',
    '# personas.json',
    JSON.stringify(presetFile, null, 2),
  ].join('\n');
}

function update() {
  const options = readOptions();
  renderPreview(options);
  renderSnippet(options);
}

form.addEventListener('input', update);
form.addEventListener('submit', (event) => event.preventDefault());
for (const button of document.querySelectorAll('[data-copy]')) {
  button.addEventListener('click', async () => {
    const text = document.getElementById(button.dataset.copy).textContent;
    try {
      await navigator.clipboard.writeText(text);
      copyStatus.textContent = 'Copied.';
    } catch {
      copyStatus.textContent = 'Copying was blocked by the browser: select the text and copy it instead.';
    }
  });
}
customElements.whenDefined('anam-persona').then(update);
