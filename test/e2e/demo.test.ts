import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { after, before, describe, it } from 'node:test';
import type { Page } from 'puppeteer-core';
import { readConfig } from '../../server/config.ts';
import { setFaults } from '../server/helpers.ts';
import { runSnippetScript } from './snippet-script.ts';
import {
  openPage,
  startHarness,
  type Harness,
  transcriptText,
  typeMessage,
  videoPlays,
  waitForState,
  waitUntil,
} from './harness.ts';

const RESULTS = fileURLToPath(new URL('../../test-results/screenshots/', import.meta.url));

/** Sets a builder option as a person would, so the form's input event fires. */
async function setField(page: Page, name: string, value: string | boolean): Promise<void> {
  await page.evaluate(
    (fieldName, fieldValue) => {
      const field = document.querySelector<HTMLInputElement>(`[name="${fieldName}"]`)!;
      if (typeof fieldValue === 'boolean') field.checked = fieldValue;
      else field.value = fieldValue;
      field.dispatchEvent(new Event('input', { bubbles: true }));
    },
    name,
    value,
  );
}

/** Phone and desktop, as a visitor holds them. */
const VIEWPORTS = [
  { width: 1280, height: 800 },
  { width: 390, height: 844 },
];

/**
 * Which of the inline widget's controls the floating launcher or the sticky header covers, with the page scrolled
 * as a visitor scrolls to the widget: as loaded, and with the widget brought to the top, middle and bottom. The
 * widget keeps one layout in every state, so controls that show only when live count too.
 */
async function coveredControls(page: Page, inline: string, floating: string): Promise<string[]> {
  const covered: string[] = [];
  for (const viewport of VIEWPORTS) {
    await page.setViewport(viewport);
    for (const block of ['loaded', 'start', 'center', 'end'] as const) {
      const found = await page.evaluate(
        (where, inlineSelector, floatingSelector) => {
          const widget = document.querySelector(inlineSelector)!;
          if (where === 'loaded') window.scrollTo(0, 0);
          else widget.scrollIntoView({ block: where });
          const obstacles = {
            launcher: document.querySelector(floatingSelector)!.shadowRoot!.querySelector('.launcher')!.getBoundingClientRect(),
            header: document.querySelector('.site-header')!.getBoundingClientRect(),
          };
          return [...widget.shadowRoot!.querySelectorAll('button, input, select')].flatMap((control) => {
            const box = control.getBoundingClientRect();
            if (box.width === 0 || getComputedStyle(control).display === 'none') return [];
            return Object.entries(obstacles)
              .filter(
                ([, over]) => box.left < over.right && box.right > over.left && box.top < over.bottom && box.bottom > over.top,
              )
              .map(
                ([name]) =>
                  `${control.getAttribute('part')} under the ${name} (scrolled: ${where}, ${innerWidth}×${innerHeight})`,
              );
          });
        },
        block,
        inline,
        floating,
      );
      covered.push(...found);
    }
  }
  return covered;
}

/** Starts the inline persona of a demo page as a visitor would, and talks to it. */
async function converse(page: Page, selector: string, message: string): Promise<void> {
  await page.evaluate((sel) => {
    const element = document.querySelector(sel)!;
    element.scrollIntoView();
    element.shadowRoot!.querySelector<HTMLButtonElement>('button.primary')!.click();
  }, selector);
  // The demo's floating assistant asks for consent first (Accept is its primary button).
  await page.evaluate(async (sel) => {
    const root = document.querySelector(sel)!.shadowRoot!;
    await new Promise((resolve) => requestAnimationFrame(resolve));
    root.querySelector<HTMLButtonElement>('[part~="consent-accept"]')?.click();
  }, selector);
  await waitForState(page, selector, 'live');
  await waitUntil('frames in the shadow video', () => videoPlays(page, selector));
  await page.evaluate(
    (sel, text) => {
      const input = document.querySelector(sel)!.shadowRoot!.querySelector('input')!;
      input.value = text;
      input.form!.requestSubmit();
    },
    selector,
    message,
  );
  await waitUntil('the reply', async () => (await transcriptText(page, selector)).includes(`You said: "${message}"`));
}

/** Runs in the page: whether a bike card is marked as shown, and whether it is wholly visible below the sticky header. */
function shownCard(selector: string): { highlighted: boolean; inView: boolean } {
  const card = document.querySelector(selector)!;
  const box = card.getBoundingClientRect();
  const header = document.querySelector('.site-header')!.getBoundingClientRect();
  return {
    highlighted: card.getAttribute('aria-current') === 'true',
    inView: box.top >= header.bottom && box.bottom <= innerHeight,
  };
}

describe('demo pages, as npm start serves them (same origin as the script and the token endpoint)', () => {
  let harness: Harness;
  before(async () => {
    harness = await startHarness();
    mkdirSync(RESULTS, { recursive: true });
  });
  after(() => harness.close());

  it('the landing page: the hero persona talks back, under the real CSP', async () => {
    const { page, problems } = await openPage(harness.browser, `${harness.server.url}/`);
    await page.setViewport({ width: 1280, height: 800 });
    await converse(page, '#hero-persona', 'Do you have folding bikes?');
    await page.screenshot({ path: `${RESULTS}landing-live.png` });
    assert.deepEqual(problems, []);
    await page.close();
  });

  it('the landing page: Cara scrolls to the bike the visitor asks for, highlights it and says what she showed', async () => {
    const { page, problems } = await openPage(harness.browser, `${harness.server.url}/`);
    await page.setViewport({ width: 1280, height: 800 });
    const cargoDuo = () => page.evaluate(shownCard, '#bike-cargo-duo');
    assert.deepEqual(await cargoDuo(), { highlighted: false, inView: false }, 'the card starts below the fold');
    await page.click('#hero-persona >>> button.primary');
    await waitForState(page, '#hero-persona', 'live');

    await typeMessage(page, 'Please show bike model=cargo-duo', '#hero-persona');
    await waitUntil(
      'the Cargo Duo card in view and highlighted',
      async () => (await cargoDuo()).inView && (await cargoDuo()).highlighted,
    );
    await waitUntil('the persona saying what the page showed', async () =>
      (await transcriptText(page, '#hero-persona')).includes('Showing the Cargo Duo: from €3,450, 120 km range.'),
    );
    await page.screenshot({ path: `${RESULTS}landing-show-bike.png` });
    const focus = await page.evaluate(() => {
      const active = document.activeElement!;
      return `${active.id} ${active.shadowRoot?.activeElement?.tagName}`;
    });
    assert.equal(focus, 'hero-persona INPUT', 'the visitor can go on typing');

    await typeMessage(page, 'show bike model=unicycle', '#hero-persona');
    await waitUntil('the persona naming the bikes there are', async () =>
      (await transcriptText(page, '#hero-persona')).includes(
        'No bike called unicycle; we have Commuter One, Cargo Duo and Fold S.',
      ),
    );
    const highlighted = await page.evaluate(() => [...document.querySelectorAll('[aria-current="true"]')].map((card) => card.id));
    assert.deepEqual(highlighted, ['bike-cargo-duo'], 'an unknown bike leaves the shown one highlighted');
    assert.deepEqual(problems, []);
    await page.close();
  });

  it('the landing page: the service assistant is told which section the visitor is reading', async () => {
    const { page, problems } = await openPage(harness.browser, `${harness.server.url}/`);
    await page.setViewport({ width: 1280, height: 800 });
    await page.click('#floating-persona >>> .launcher');
    await page.click('#floating-persona >>> button.primary');
    await page.click('#floating-persona >>> [part~="consent-accept"]');
    await waitForState(page, '#floating-persona', 'live');
    const quoted = (section: string) =>
      `The latest context from the page is: "The visitor is reading the section "${section}" of the Fernhill Bikes website."`;
    // The page tells the widget once the visitor has stayed on a section; only then is there something to quote.
    const pageSaysReading = (section: string) =>
      page.waitForFunction(
        (text) => (document.querySelector('#floating-persona') as unknown as { context: string }).context.includes(text),
        {},
        section,
      );

    await pageSaysReading('E-bikes built for the daily commute.');
    await typeMessage(page, 'What context do you have?', '#floating-persona');
    await waitUntil('the top section quoted', async () =>
      (await transcriptText(page, '#floating-persona')).includes(quoted('E-bikes built for the daily commute.')),
    );
    await page.click('nav a[href="#service"]');
    await pageSaysReading('Service that keeps you riding');
    await typeMessage(page, 'And what context now?', '#floating-persona');
    await waitUntil('the section the visitor scrolled to quoted', async () =>
      (await transcriptText(page, '#floating-persona')).includes(quoted('Service that keeps you riding')),
    );
    assert.deepEqual(problems, []);
    await page.close();
  });

  it("the landing page: neither the floating launcher nor the sticky header covers the hero widget's controls, on desktop and phone", async () => {
    const { page, problems } = await openPage(harness.browser, `${harness.server.url}/`);
    assert.deepEqual(await coveredControls(page, '#hero-persona', '#floating-persona'), []);
    assert.deepEqual(problems, []);
    await page.close();
  });

  it('the landing page: the floating launcher opens a panel that works, full-screen on a phone', async () => {
    const { page, problems } = await openPage(harness.browser, `${harness.server.url}/`);
    await page.setViewport({ width: 390, height: 844 });
    await page.evaluate(() =>
      document.querySelector('#floating-persona')!.shadowRoot!.querySelector<HTMLButtonElement>('.launcher')!.click(),
    );
    const panel = await page.evaluate(() => {
      const box = document.querySelector('#floating-persona')!.shadowRoot!.querySelector('.panel')!.getBoundingClientRect();
      return { width: box.width, height: box.height };
    });
    assert.deepEqual(panel, { width: 390, height: 844 });
    await converse(page, '#floating-persona', 'When are you open?');
    await page.screenshot({ path: `${RESULTS}floating-phone.png` });
    assert.deepEqual(problems, []);
    await page.close();
  });

  it('the CMS page: hostile theme CSS and an AMD loader change nothing', async () => {
    const { page, problems } = await openPage(harness.browser, `${harness.server.url}/cms.html`);
    await page.setViewport({ width: 1280, height: 800 });
    const looks = await page.evaluate(() => {
      const root = document.querySelector('#cms-persona')!.shadowRoot!;
      const start = root.querySelector('button.primary')!;
      const style = getComputedStyle(start);
      return {
        display: style.display,
        font: style.fontFamily,
        transform: style.textTransform,
        amd: (window as unknown as { amdDefinedModules: string[] }).amdDefinedModules,
      };
    });
    assert.notEqual(looks.display, 'none', 'the theme hides every button, but not ours');
    assert.doesNotMatch(looks.font, /Georgia/);
    assert.equal(looks.transform, 'none');
    assert.deepEqual(looks.amd, [], 'the bundle did not register through the AMD loader');
    await converse(page, '#cms-persona', 'Is parking available?');
    const onTop = await page.evaluate(() => {
      const floating = document.querySelector('#cms-floating')!;
      const launcher = floating.shadowRoot!.querySelector('.launcher')!.getBoundingClientRect();
      return document.elementFromPoint(launcher.x + launcher.width / 2, launcher.y + launcher.height / 2) === floating;
    });
    assert.ok(onTop, 'the floating launcher sits above the sticky header and the content');
    await page.screenshot({ path: `${RESULTS}cms-live.png` });
    assert.deepEqual(problems, []);
    await page.close();
  });

  it("the CMS page: neither the floating launcher nor the sticky header covers the inline widget's controls, in any state, on desktop and phone", async () => {
    const { page, problems } = await openPage(harness.browser, `${harness.server.url}/cms.html`);
    const inline = '#cms-persona';
    const click = (part: string) =>
      page.evaluate(
        (sel, wanted) =>
          document.querySelector(sel)!.shadowRoot!.querySelector<HTMLButtonElement>(`[part~="${wanted}"]`)!.click(),
        inline,
        part,
      );
    try {
      assert.deepEqual(await coveredControls(page, inline, '#cms-floating'), [], 'idle');
      await click('start');
      await waitForState(page, inline, 'live');
      assert.deepEqual(await coveredControls(page, inline, '#cms-floating'), [], 'live');
      await click('stop');
      await waitForState(page, inline, 'ended');
      assert.deepEqual(await coveredControls(page, inline, '#cms-floating'), [], 'ended');
      await setFaults(`${harness.server.url}/local-engine`, { authStatus: 404 });
      await click('start');
      await waitForState(page, inline, 'error');
      assert.deepEqual(await coveredControls(page, inline, '#cms-floating'), [], 'error');
    } finally {
      await setFaults(`${harness.server.url}/local-engine`, {});
    }
    assert.deepEqual(problems, []);
    await page.close();
  });

  it('the snippet builder: the floating launcher sits in the preview, and the snippet and settings follow the options', async (t) => {
    const { page, problems } = await openPage(harness.browser, `${harness.server.url}/builder.html`);
    await page.setViewport({ width: 1280, height: 800 });
    await page.waitForFunction(() => document.querySelector('#preview-slot anam-persona') !== null);
    await page.select('select[name="layout"]', 'floating');
    await setField(page, 'mic', false);
    await setField(page, 'origin', 'https://WWW.Your-Site.example/shop/');
    // Each change makes a fresh preview: read it once its launcher shows.
    await page.waitForFunction(() =>
      document.querySelector('#preview-slot anam-persona')?.shadowRoot?.querySelector('.launcher'),
    );
    const preview = await page.evaluate(() => {
      const slot = document.querySelector('#preview-slot')!;
      const element = slot.querySelector('anam-persona')!;
      slot.scrollIntoView();
      const launcher = element.shadowRoot!.querySelector('.launcher')!.getBoundingClientRect();
      const frame = slot.getBoundingClientRect();
      const atLauncher = document.elementFromPoint(launcher.x + launcher.width / 2, launcher.y + launcher.height / 2);
      return {
        layout: element.getAttribute('layout'),
        mic: element.getAttribute('mic'),
        launcherInPreview:
          launcher.width > 0 &&
          launcher.left >= frame.left &&
          launcher.right <= frame.right &&
          launcher.top >= frame.top &&
          launcher.bottom <= frame.bottom,
        launcherVisible: atLauncher === element,
        snippet: document.querySelector('#snippet')!.textContent,
      };
    });
    assert.equal(preview.layout, 'floating');
    assert.equal(preview.mic, 'off');
    assert.ok(preview.launcherInPreview, 'the launcher is in the preview, not in a corner of the builder page');
    assert.ok(preview.launcherVisible, 'nothing covers the launcher');
    assert.match(
      String(preview.snippet),
      /<script src="https:\/\/persona\.your-site\.example\/dist\/anam-persona\.js" defer><\/script>/,
    );
    assert.match(String(preview.snippet), /layout='floating'/);
    assert.match(String(preview.snippet), /mic='off'/);

    // The settings start the real server as they are, once the placeholders are filled in.
    const settings = String(await page.evaluate(() => document.querySelector('#server-settings')!.textContent));
    assert.match(settings, /^# Write these lines to \.env beside the server/m, 'the server reads them from .env');
    assert.match(settings, /node dist-server\/main\.js/, "the README's production start");
    const env = Object.fromEntries([...settings.matchAll(/^([A-Z_]+)=(.*)$/gm)].map((match) => [match[1]!, match[2]!]));
    const presetsFolder = mkdtempSync(join(tmpdir(), 'builder-'));
    t.after(() => rmSync(presetsFolder, { recursive: true, force: true }));
    const presetsFile = join(presetsFolder, 'personas.json');
    writeFileSync(presetsFile, settings.slice(settings.indexOf('{')).replace(/<[^>]+>/g, '1b6ff3f0-1c41-4c8f-9d6a-2c2c4f1e2a10'));
    const config = readConfig({ ...env, ANAM_API_KEY: 'sk-filled-in', PERSONAS_FILE: presetsFile });
    assert.deepEqual(config.allowedOrigins, ['https://www.your-site.example']);
    assert.equal(config.publicOrigin, 'https://persona.your-site.example');
    assert.equal(config.production, true);
    assert.ok(config.personas.presets.has('cara'));

    // The page's side of the snippet runs as pasted: the context as typed, the tool the persona declares.
    const context = 'Pricing — the "Pro" plan </script><!-- it\'s';
    await page.type('[name="context"]', context);
    await setField(page, 'tool', 'show_offer');
    const snippet = () => page.evaluate(() => String(document.querySelector('#snippet')!.textContent));
    const pageSide = await runSnippetScript(await snippet(), ['pro-plan']);
    assert.equal(pageSide.context, context);
    assert.deepEqual(Object.keys(pageSide.tools), ['show_offer']);
    assert.equal(await pageSide.tools['show_offer']!({ id: 'pro-plan' }), 'Showing pro-plan.');
    assert.deepEqual(pageSide.scrolledTo, ['pro-plan']);
    assert.throws(() => pageSide.tools['show_offer']!({ id: 'gold' }), /Nothing called gold on this page\./);
    assert.match(
      String(await page.evaluate(() => document.querySelector('#server-settings')!.textContent)),
      /client tool show_offer/,
    );
    await setField(page, 'tool', 'Show Offer');
    assert.match(await snippet(), /"Show Offer" cannot be a tool name/);
    assert.deepEqual((await runSnippetScript(await snippet(), [])).tools, {}, 'no tool the widget would refuse');
    await page.screenshot({ path: `${RESULTS}builder.png` });
    assert.deepEqual(problems, []);
    await page.close();
  });

  it('the snippet builder: a change during a live preview waits, says so, and applies on request', async () => {
    const { page, problems } = await openPage(harness.browser, `${harness.server.url}/builder.html`);
    await page.waitForFunction(() => document.querySelector('#preview-slot anam-persona') !== null);
    await converse(page, '#preview-slot anam-persona', 'Does the preview work?');
    const sessionId = () =>
      page.evaluate(() => (document.querySelector('#preview-slot anam-persona') as unknown as { sessionId?: string }).sessionId);
    const before = await sessionId();
    await page.select('select[name="lang"]', 'fr');
    assert.equal(await sessionId(), before, 'the conversation goes on');
    await waitForState(page, '#preview-slot anam-persona', 'live');
    assert.match(String(await page.evaluate(() => document.querySelector('#snippet')!.textContent)), /lang='fr'/);
    const notice = () => page.evaluate(() => document.querySelector<HTMLElement>('#preview-pending')!.hidden);
    assert.equal(await notice(), false, 'the builder says the change waits');
    // The page is scrolled to the preview: the notice sits under the sticky header, where a click would
    // follow the header's link. A visitor scrolls it into view first.
    await page.evaluate(() => document.querySelector('#preview-pending')!.scrollIntoView({ block: 'center' }));
    await page.click('#apply-now');
    await waitForState(page, '#preview-slot anam-persona', 'idle');
    assert.equal(await page.evaluate(() => document.querySelector('#preview-slot anam-persona')!.getAttribute('lang')), 'fr');
    assert.equal(await notice(), true);
    assert.deepEqual(problems, []);
    await page.close();
  });
});
