import assert from 'node:assert/strict';
import { mkdirSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { after, before, describe, it } from 'node:test';
import type { Page } from 'puppeteer-core';
import { openPage, startHarness, type Harness, transcriptText, videoPlays, waitForState, waitUntil } from './harness.ts';

const RESULTS = fileURLToPath(new URL('../../test-results/screenshots/', import.meta.url));

/** Starts the inline persona of a demo page as a visitor would, and talks to it. */
async function converse(page: Page, selector: string, message: string): Promise<void> {
  await page.evaluate((sel) => {
    const element = document.querySelector(sel)!;
    element.scrollIntoView();
    element.shadowRoot!.querySelector<HTMLButtonElement>('button.primary')!.click();
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

  it('the snippet builder: the preview follows the options and the snippet matches it', async () => {
    const { page, problems } = await openPage(harness.browser, `${harness.server.url}/builder.html`);
    await page.waitForFunction(() => document.querySelector('#preview-slot anam-persona') !== null);
    await converse(page, '#preview-slot anam-persona', 'Does the preview work?');
    await page.select('select[name="layout"]', 'floating');
    await page.evaluate(() => {
      const mic = document.querySelector<HTMLInputElement>('input[name="mic"]')!;
      mic.checked = false;
      mic.dispatchEvent(new Event('input', { bubbles: true }));
    });
    const preview = await page.evaluate(() => {
      const element = document.querySelector('#preview-slot anam-persona')!;
      return {
        layout: element.getAttribute('layout'),
        mic: element.getAttribute('mic'),
        snippet: document.querySelector('#snippet')!.textContent,
      };
    });
    assert.equal(preview.layout, 'floating');
    assert.equal(preview.mic, 'off');
    assert.match(
      String(preview.snippet),
      /<script src="https:\/\/persona\.your-site\.example\/dist\/anam-persona\.js" defer><\/script>/,
    );
    assert.match(String(preview.snippet), /layout='floating'/);
    assert.match(String(preview.snippet), /mic='off'/);
    const settings = await page.evaluate(() => document.querySelector('#server-settings')!.textContent);
    assert.match(String(settings), /ALLOWED_ORIGINS=https:\/\/www\.your-site\.example/);
    await page.screenshot({ path: `${RESULTS}builder.png` });
    assert.deepEqual(problems, []);
    await page.close();
  });
});
