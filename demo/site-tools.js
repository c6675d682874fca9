// The demo site's part of the conversation, as a site owner would write it: a client tool that shows a bike
// (Cara's preset declares `show_bike` on the server) and page context that tells the persona which section
// the visitor is reading. A file of its own, because the site's CSP allows no inline script.

const SITE_NAME = 'Fernhill Bikes';
/** A section must stay the most visible this long to count as read: scrolling past one is not reading it. */
const SETTLE_MS = 400;
/** Visibility steps at which the observer reports a section: a handful of callbacks per section, not one per scroll. */
const THRESHOLDS = Array.from({ length: 11 }, (_, step) => step / 10);

const personas = [...document.querySelectorAll('anam-persona')];
const bikes = [...document.querySelectorAll('#range .card')];

/** "Cargo Duo", "the cargo-duo", "CARGO_DUO" all name the card #bike-cargo-duo. */
function slug(text) {
  return text
    .toLowerCase()
    .trim()
    .replace(/^the\s+/, '')
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-|-$/g, '');
}

const bikeName = (card) => card.querySelector('h3').textContent.trim();
const bikeFact = (card, selector) => card.querySelector(selector).textContent.trim();

function bikeList() {
  const names = bikes.map(bikeName);
  return `${names.slice(0, -1).join(', ')} and ${names.at(-1)}`;
}

/** show_bike: scrolls to the bike's card and marks it, without taking the focus from the widget's message box. */
function showBike({ model }) {
  const asked = String(model ?? '').slice(0, 60);
  const card = bikes.find((candidate) => [candidate.id.replace(/^bike-/, ''), slug(bikeName(candidate))].includes(slug(asked)));
  // The persona says the error: it names what the visitor can ask for instead.
  if (!card)
    throw new Error(asked.trim() ? `No bike called ${asked}; we have ${bikeList()}.` : `Which bike? We have ${bikeList()}.`);
  for (const other of bikes) other.removeAttribute('aria-current');
  card.setAttribute('aria-current', 'true');
  const reduceMotion = matchMedia('(prefers-reduced-motion: reduce)').matches;
  // 'nearest' scrolls no further than needed, so as much as possible of the conversation stays in view.
  card.scrollIntoView({ block: 'nearest', behavior: reduceMotion ? 'auto' : 'smooth' });
  return `Showing the ${bikeName(card)}: ${bikeFact(card, '.price')}, ${bikeFact(card, '.range')}.`;
}

function sectionName(section) {
  return document.getElementById(section.getAttribute('aria-labelledby'))?.textContent.trim() ?? '';
}

/** Tells every persona on the page which section the visitor is reading: the one that fills most of the view. */
function followReading() {
  const sections = [...document.querySelectorAll('main section[aria-labelledby]')];
  const visibleHeight = new Map();
  let reading;
  let settle;
  const observer = new IntersectionObserver(
    (entries) => {
      for (const entry of entries) visibleHeight.set(entry.target, entry.isIntersecting ? entry.intersectionRect.height : 0);
      const most = sections.reduce((best, section) =>
        (visibleHeight.get(section) ?? 0) > (visibleHeight.get(best) ?? 0) ? section : best,
      );
      clearTimeout(settle);
      if (most === reading) return;
      settle = setTimeout(() => {
        reading = most;
        const context = `The visitor is reading the section "${sectionName(most)}" of the ${SITE_NAME} website.`;
        for (const persona of personas) persona.context = context;
      }, SETTLE_MS);
    },
    { threshold: THRESHOLDS },
  );
  for (const section of sections) observer.observe(section);
}

customElements.whenDefined('anam-persona').then(() => {
  // Only a persona whose preset declares show_bike ever calls it; registering it on the others costs nothing.
  for (const persona of personas) persona.registerTool('show_bike', showBike);
  followReading();
});
