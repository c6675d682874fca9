// The snippet builder: form → live <anam-persona> → the exact snippet and server settings to copy.
const form = document.getElementById('options');
const slot = document.getElementById('preview-slot');
const snippetOut = document.getElementById('snippet');
const settingsOut = document.getElementById('server-settings');
const copyStatus = document.getElementById('copy-status');
const pendingNotice = document.getElementById('preview-pending');
const applyNow = document.getElementById('apply-now');

const DEFAULT_ACCENT = '#4f46e5';
/** While the preview talks, a changed option waits: replacing the element would end the conversation. */
const BUSY_STATES = new Set(['requesting-token', 'connecting', 'live']);
/** The server's own rule for preset names (server/personas.ts). */
const PRESET_NAME = /^[a-z0-9][a-z0-9_-]{0,63}$/;
/** The widget's and the persona config's rule for tool names (widget/tools-controller.ts). */
const TOOL_NAME = /^[a-z][a-z0-9_]{0,63}$/;
let preview;
let pending;

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
    consent: data.has('consent'),
    consentUrl: text('consentUrl'),
    disclosure: data.has('disclosure'),
    feedback: data.has('feedback'),
    poster: text('poster'),
    idleTimeout: text('idleTimeout'),
    maxDuration: text('maxDuration'),
    lang: text('lang'),
    accent: text('accent'),
    title: text('title'),
    start: text('start'),
    context: text('context'),
    tool: text('tool'),
    origin: originOf(text('origin')),
    host: originOf(text('host')),
  };
}

/** The exact origin (scheme, host, port) the server compares, or undefined when the text is not a URL. */
function originOf(text) {
  try {
    const url = new URL(text);
    return url.protocol === 'https:' || url.protocol === 'http:' ? url.origin : undefined;
  } catch {
    return undefined;
  }
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
  if (options.poster) attributes.push(['poster', options.poster]);
  if (options.consent) attributes.push(['consent', '']);
  if (options.consent && options.consentUrl) attributes.push(['consent-url', options.consentUrl]);
  if (!options.disclosure) attributes.push(['disclosure', 'off']);
  if (options.feedback) attributes.push(['feedback', '']);
  if (options.idleTimeout && options.idleTimeout !== '180') attributes.push(['idle-timeout', options.idleTimeout]);
  if (options.maxDuration && options.maxDuration !== '0') attributes.push(['max-duration', options.maxDuration]);
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
  // A fresh element each time: attributes such as layout are read as a whole.
  pending = undefined;
  pendingNotice.hidden = true;
  preview?.remove();
  preview = document.createElement('anam-persona');
  for (const [name, value] of attributesFor(options, '/api/session-token')) preview.setAttribute(name, value);
  if (options.accent !== DEFAULT_ACCENT) preview.style.setProperty('--anam-persona-accent', options.accent);
  preview.context = options.context || `The visitor is on the page: ${document.title}`;
  const element = preview;
  element.addEventListener('anam-persona-state', () => {
    if (element === preview && pending && !BUSY_STATES.has(element.state)) renderPreview(pending);
  });
  // The floating layout's launcher sits in the preview's own corner, not the builder page's.
  slot.classList.toggle('floating', options.layout === 'floating');
  slot.append(preview);
}

function renderSnippet(options) {
  const host = options.host ?? 'https://persona.your-site.example';
  const attributes = attributesFor(options, `${host}/api/session-token`)
    .map(([name, value]) => (value === '' ? name : `${name}='${escapeAttribute(value)}'`))
    .join('\n  ');
  const style = options.accent !== DEFAULT_ACCENT ? `\n  style="--anam-persona-accent: ${options.accent}"` : '';
  const element = `<anam-persona\n  ${attributes}${style}\n></anam-persona>`;
  snippetOut.textContent = `<script src="${host}/dist/anam-persona.js" defer></script>\n${element}\n${pageScript(options).join('\n')}`;
  settingsOut.textContent = serverSettings(options).join('\n');
}

/** Text as a JavaScript string literal that cannot end the inline script it sits in. */
function scriptString(text) {
  return JSON.stringify(text).replace(/</g, '\\u003c');
}

/** The page's side: context for the persona and a client tool's handler, once the element is defined. */
function pageScript(options) {
  const context = options.context ? scriptString(options.context) : "'The visitor is on the page: ' + document.title";
  const lines = [
    '<script>',
    '  // Inline, or in a .js file of your own if your CSP allows no inline script.',
    "  customElements.whenDefined('anam-persona').then(() => {",
    "    const persona = document.querySelector('anam-persona');",
    '    // What the persona knows about this page; set it again when that changes.',
    `    persona.context = ${context};`,
  ];
  if (TOOL_NAME.test(options.tool)) {
    lines.push(
      '    // Your persona calls the tool; do it on the page and return what the persona should say.',
      `    persona.registerTool('${options.tool}', (args) => {`,
      '      const target = document.getElementById(String(args.id));',
      "      if (!target) throw new Error('Nothing called ' + args.id + ' on this page.'); // the persona says so",
      "      target.scrollIntoView({ behavior: 'smooth', block: 'nearest' });",
      "      return 'Showing ' + args.id + '.';",
      '    });',
    );
  } else if (options.tool) {
    lines.push(`    // ${scriptString(options.tool)} cannot be a tool name: use snake_case, as your persona declares it.`);
  }
  lines.push('  });', '</script>');
  return lines;
}

/** The environment the server reads (server/config.ts) and the presets file it loads, for these options. */
function serverSettings(options) {
  const presetName = options.persona || 'default';
  const presetFile = { default: presetName, presets: { [presetName]: { personaId: '<your persona id from the Anam Lab>' } } };
  const lines = [
    '# Write these lines to .env beside the server (settings in its environment win over the file), then',
    '# start it: npm ci && npm run build, then node dist-server/main.js (see Operations in the README).',
    'NODE_ENV=production',
    'ANAM_API_KEY=<your Anam API key>',
    'PERSONAS_FILE=./personas.json',
  ];
  if (!options.origin) lines.push(`# ALLOWED_ORIGINS: "your site's origin" must look like https://www.your-site.example`);
  else if (options.origin === options.host) lines.push('# No ALLOWED_ORIGINS needed: your pages are on the server’s own origin.');
  else lines.push(`ALLOWED_ORIGINS=${options.origin}`);
  if (options.host) lines.push(`PUBLIC_ORIGIN=${options.host}`);
  else lines.push('# PUBLIC_ORIGIN: "where you host the server" must look like https://persona.your-site.example');
  lines.push('', `# personas.json (the file PERSONAS_FILE names, beside where you start the server)`);
  if (!PRESET_NAME.test(presetName)) {
    lines.push(`# "${presetName}" cannot be a preset name: use lower-case letters, digits, - or _.`);
  }
  if (TOOL_NAME.test(options.tool)) {
    lines.push(
      `# Your persona must declare the client tool ${options.tool} (in the Anam Lab, or as "tools" in a preset without`,
      '# personaId: see the README) with a string parameter "id", waiting for the result.',
    );
  }
  lines.push(JSON.stringify(presetFile, null, 2));
  return lines;
}

function update() {
  const options = readOptions();
  renderSnippet(options);
  if (preview && BUSY_STATES.has(preview.state)) {
    // Say so rather than end the visitor's conversation: the change applies when it ends, or now on request.
    pending = options;
    pendingNotice.hidden = false;
    return;
  }
  renderPreview(options);
}

form.addEventListener('input', update);
applyNow.addEventListener('click', () => pending && renderPreview(pending));
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
