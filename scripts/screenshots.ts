// `npm run screenshots`: the README's pictures, taken in headless Chromium against the running demo.
import { mkdirSync } from 'node:fs';
import puppeteer, { type Page } from 'puppeteer-core';
import { buildApp } from '../server/app.ts';
import { readConfig } from '../server/config.ts';
import { setFaults } from '../test/server/helpers.ts';
import { waitForState } from '../test/e2e/harness.ts';
import { CHROMIUM_TEST_FLAGS, findBrowser } from './find-browser.ts';

const OUT = new URL('../docs/screenshots/', import.meta.url);
mkdirSync(OUT, { recursive: true });

const app = await buildApp(
  readConfig({ LOCAL_ENGINE: 'on', LOCAL_ENGINE_TEST_CONTROLS: 'on', LOCAL_ENGINE_SPEECH_RATE: '40', LOG_LEVEL: 'warn' }),
);
await app.listen({ port: 0, host: '127.0.0.1' });
const address = app.server.address();
const base = `http://127.0.0.1:${typeof address === 'object' && address ? address.port : 0}`;
const browser = await puppeteer.launch({ executablePath: findBrowser(), headless: true, args: CHROMIUM_TEST_FLAGS });

async function open(path: string, width: number, height: number): Promise<Page> {
  const page = await browser.newPage();
  await page.setViewport({ width, height, deviceScaleFactor: 1 });
  await page.goto(`${base}${path}`);
  await page.waitForFunction(() => customElements.get('anam-persona') !== undefined);
  await new Promise((resolve) => setTimeout(resolve, 300));
  return page;
}

async function shoot(page: Page, name: string): Promise<void> {
  await page.screenshot({ path: new URL(`${name}.png`, OUT).pathname });
  console.log(`docs/screenshots/${name}.png`);
  // Closing ends its session: the local engine allows a visitor only a few at once.
  await page.close();
}

try {
  const idle = await open('/', 1280, 800);
  await shoot(idle, 'idle');

  const live = await open('/', 1280, 800);
  await live.evaluate(() => (document.querySelector('#hero-persona') as unknown as { start(): Promise<void> }).start());
  await waitForState(live, '#hero-persona', 'live', 20_000);
  await live.evaluate(() =>
    (document.querySelector('#hero-persona') as unknown as { send(text: string): void }).send(
      'Which bike is best for a 15 km commute?',
    ),
  );
  await live.waitForFunction(
    () =>
      document.querySelector('#hero-persona')!.shadowRoot!.querySelector('.transcript')?.textContent?.includes('local engine'),
    { timeout: 20_000 },
  );
  await shoot(live, 'live-transcript');

  await setFaults(`${base}/local-engine`, { authStatus: 404 });
  const failed = await open('/', 1280, 800);
  await failed.evaluate(() => (document.querySelector('#hero-persona') as unknown as { start(): Promise<void> }).start());
  await waitForState(failed, '#hero-persona', 'error', 20_000);
  await shoot(failed, 'error');
  await setFaults(`${base}/local-engine`, {});

  const phone = await open('/', 390, 844);
  await phone.evaluate(async () => {
    const floating = document.querySelector('#floating-persona')!;
    await (floating as unknown as { start(): Promise<void> }).start();
    // The demo's service assistant asks for consent first.
    floating.shadowRoot!.querySelector<HTMLButtonElement>('[part~="consent-accept"]')?.click();
  });
  await waitForState(phone, '#floating-persona', 'live', 20_000);
  await new Promise((resolve) => setTimeout(resolve, 1500));
  await shoot(phone, 'floating-phone');

  const cms = await open('/cms.html', 1280, 800);
  await cms.evaluate(() => (document.querySelector('#cms-persona') as unknown as { start(): Promise<void> }).start());
  await waitForState(cms, '#cms-persona', 'live', 20_000);
  await new Promise((resolve) => setTimeout(resolve, 1500));
  await shoot(cms, 'cms-page');

  const builder = await open('/builder.html', 1280, 1000);
  await shoot(builder, 'builder');
} finally {
  await browser.close();
  await app.close();
}
// node-webrtc can crash while Node tears down on its own; leave explicitly.
process.exit(0);
