// `npm run bench:engine`: what each concurrent session costs the local engine (CPU share of one
// core and resident memory, the server with its media process), at the default 512×512 @ 25 fps,
// for 1, 2 and 4 sessions. The media process starts with the first session, so its own baseline
// counts in that row. The clients
// are the built widget in headless Chromium, as visitors would run it.
import puppeteer, { type Page } from 'puppeteer-core';
import { CHROMIUM_TEST_FLAGS, findBrowser } from '../scripts/find-browser.ts';
import { startTestServer } from '../scripts/test-server.ts';
import { measure } from './process-usage.ts';

const SESSION_COUNTS = [1, 2, 4];
const MEASURE_SECONDS = 8;

const server = await startTestServer({
  LOCAL_ENGINE_SPEECH_RATE: '15',
  LOCAL_ENGINE_MAX_SESSIONS: '16',
  LOCAL_ENGINE_GREETING: 'off',
});
const browser = await puppeteer.launch({ executablePath: findBrowser(), headless: true, args: CHROMIUM_TEST_FLAGS });

async function openSession(): Promise<Page> {
  const page = await browser.newPage();
  await page.goto(`${server.url}/`);
  await page.waitForFunction(() => customElements.get('anam-persona') !== undefined);
  await page.evaluate(() => (document.querySelector('#hero-persona') as unknown as { start(): Promise<void> }).start());
  await page.waitForFunction(() => (document.querySelector('#hero-persona') as unknown as { state: string }).state === 'live', {
    timeout: 20_000,
  });
  return page;
}

try {
  const idle = await measure(server.pid, 3);
  console.log(`local engine, ${MEASURE_SECONDS} s per row, default 512x512 @ 25 fps (CPU: share of one core)`);
  console.log(`idle (no session):  CPU ${idle.cpuPercent.toFixed(1)} %   memory ${idle.memoryMiB.toFixed(0)} MiB`);
  console.log('sessions | CPU total | CPU per session | memory total | memory per session (above idle)');
  const pages: Page[] = [];
  for (const count of SESSION_COUNTS) {
    while (pages.length < count) pages.push(await openSession());
    // Half the time silent, half speaking: keep one utterance going on every session.
    await Promise.all(
      pages.map((page) =>
        page.evaluate(() =>
          (document.querySelector('#hero-persona') as unknown as { talk(text: string): Promise<void> }).talk(
            'This is a benchmark sentence, spoken while the engine is measured. '.repeat(3),
          ),
        ),
      ),
    );
    const usage = await measure(server.pid, MEASURE_SECONDS);
    const perSessionCpu = (usage.cpuPercent - idle.cpuPercent) / count;
    const perSessionMemory = (usage.memoryMiB - idle.memoryMiB) / count;
    console.log(
      `${String(count).padStart(8)} | ${usage.cpuPercent.toFixed(1).padStart(7)} % | ${perSessionCpu.toFixed(1).padStart(13)} % | ${usage.memoryMiB.toFixed(0).padStart(8)} MiB | ${perSessionMemory.toFixed(1).padStart(10)} MiB`,
    );
  }
} finally {
  await browser.close();
  await server.stop();
}
