// `npm run bench:widget`: what the widget costs a page. Its size (gzip), the main-thread time from
// the script to the element's first render, and, against the local engine, click → first video
// frame split into token fetch, SDK session start and media, with the widget's own share.
import { readFileSync } from 'node:fs';
import { gzipSync } from 'node:zlib';
import puppeteer, { type Page } from 'puppeteer-core';
import { GZIP_BUDGET_BYTES } from '../scripts/bundle-budget.ts';
import { CHROMIUM_TEST_FLAGS, findBrowser } from '../scripts/find-browser.ts';
import { startSite } from '../test/e2e/site.ts';
import { startApp } from '../test/server/helpers.ts';

const RUNS = 7;
const WIDGET_SHARE_BUDGET_MS = 50;

const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)]!;

const bundle = readFileSync(new URL('../dist/anam-persona.js', import.meta.url));
const gzipBytes = gzipSync(bundle, { level: 9 }).length;
const gzipKb = gzipBytes / 1024;
console.log(`size: ${(bundle.length / 1024).toFixed(1)} KB minified, ${gzipBytes} bytes gzip -9 (budget ${GZIP_BUDGET_BYTES})`);

// As a site owner embeds it: the test pages on their own origin, the script and the tokens from the server.
const site = await startSite();
const server = await startApp(
  { LOCAL_ENGINE: 'on', LOG_LEVEL: 'warn', RATE_LIMIT_MAX: '100000', LOCAL_ENGINE_GREETING: 'off', ALLOWED_ORIGINS: site.url },
  { servePages: true },
);
site.personaServer = server.url;
const browser = await puppeteer.launch({ executablePath: findBrowser(), headless: true, args: CHROMIUM_TEST_FLAGS });

/** Main-thread script and task time (CDP) of loading a page, and when the widget first rendered. */
async function loadCost(path: string): Promise<{ scriptMs: number; taskMs: number; renderAfterScriptMs: number | undefined }> {
  const page = await browser.newPage();
  await page.evaluateOnNewDocument(() => {
    void customElements.whenDefined('anam-persona').then(async () => {
      const element = document.querySelector('anam-persona') as unknown as { updateComplete: Promise<unknown> };
      await element.updateComplete;
      (window as unknown as { firstRenderAt: number }).firstRenderAt = performance.now();
    });
  });
  const before = await page.metrics();
  await page.goto(`${site.url}${path}`, { waitUntil: 'load' });
  await new Promise((resolve) => setTimeout(resolve, 200));
  const after = await page.metrics();
  const renderAfterScriptMs = await page.evaluate(() => {
    const script = performance.getEntriesByType('resource').find((entry) => entry.name.endsWith('/dist/anam-persona.js')) as
      PerformanceResourceTiming | undefined;
    const renderedAt = (window as unknown as { firstRenderAt?: number }).firstRenderAt;
    return script && renderedAt ? renderedAt - script.responseEnd : undefined;
  });
  await page.close();
  return {
    scriptMs: ((after.ScriptDuration ?? 0) - (before.ScriptDuration ?? 0)) * 1000,
    taskMs: ((after.TaskDuration ?? 0) - (before.TaskDuration ?? 0)) * 1000,
    renderAfterScriptMs,
  };
}

/** One click on Start, timed to the first video frame in the shadow root. */
async function clickToFirstFrame(page: Page) {
  await page.goto(`${site.url}/one.html`, { waitUntil: 'load' });
  await page.waitForFunction(() => customElements.get('anam-persona') !== undefined);
  return page.evaluate(async () => {
    const element = document.querySelector('anam-persona')!;
    await (element as unknown as { updateComplete: Promise<unknown> }).updateComplete;
    const video = element.shadowRoot!.querySelector('video')!;
    const firstFrame = new Promise<number>((resolve) => video.requestVideoFrameCallback((now) => resolve(now)));
    const clickedAt = performance.now();
    element.shadowRoot!.querySelector<HTMLButtonElement>('button.primary')!.click();
    const frameAt = await firstFrame;
    const entries = performance.getEntriesByType('resource') as PerformanceResourceTiming[];
    const token = entries.find((entry) => entry.name.endsWith('/api/session-token'))!;
    const session = entries.find((entry) => entry.name.endsWith('/v1/engine/session'))!;
    await (element as unknown as { stop(): Promise<void> }).stop();
    return {
      total: frameAt - clickedAt,
      tokenFetch: token.responseEnd - token.startTime,
      sessionStart: session.responseEnd - session.startTime,
      media: frameAt - session.responseEnd,
      // What the widget itself spends: click → token request, and token reply → SDK session request.
      widgetOwn: token.startTime - clickedAt + (session.startTime - token.responseEnd),
    };
  });
}

try {
  const baseline: Array<Awaited<ReturnType<typeof loadCost>>> = [];
  const withWidget: Array<Awaited<ReturnType<typeof loadCost>>> = [];
  for (let run = 0; run < RUNS; run++) {
    baseline.push(await loadCost('/blank.html'));
    withWidget.push(await loadCost('/one.html'));
  }
  const scriptMs = median(withWidget.map((cost) => cost.scriptMs)) - median(baseline.map((cost) => cost.scriptMs));
  const taskMs = median(withWidget.map((cost) => cost.taskMs)) - median(baseline.map((cost) => cost.taskMs));
  const renderMs = median(withWidget.map((cost) => cost.renderAfterScriptMs ?? Number.NaN));
  console.log(
    `main thread, medians of ${RUNS} loads: +${scriptMs.toFixed(1)} ms script, +${taskMs.toFixed(1)} ms tasks over a page without it; first render ${renderMs.toFixed(1)} ms after the script arrived (${gzipKb.toFixed(1)} KB gzip)`,
  );

  const page = await browser.newPage();
  const runs: Array<Awaited<ReturnType<typeof clickToFirstFrame>>> = [];
  for (let run = 0; run < RUNS; run++) runs.push(await clickToFirstFrame(page));
  const show = (name: keyof (typeof runs)[number]) => `${median(runs.map((timing) => timing[name])).toFixed(0)} ms`;
  console.log(`click → first video frame, medians of ${RUNS} sessions against the local engine: ${show('total')}`);
  console.log(
    `  token fetch ${show('tokenFetch')} · SDK session start ${show('sessionStart')} · media (WebRTC to first frame) ${show('media')}`,
  );
  const widgetOwn = median(runs.map((timing) => timing.widgetOwn));
  console.log(`  the widget's own share: ${widgetOwn.toFixed(1)} ms (budget ${WIDGET_SHARE_BUDGET_MS} ms)`);
} finally {
  await browser.close();
  await site.close();
  await server.close();
}
process.exit(0);
