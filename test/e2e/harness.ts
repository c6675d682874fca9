import type { Browser, ElementHandle, Page } from 'puppeteer-core';
import { launchTestBrowser } from './test-browser.ts';
import { startApp, type TestApp } from '../server/helpers.ts';
import { TEST_SERVER_ENV } from '../../scripts/test-server.ts';
import { startSite, type Site } from './site.ts';

/** The test browser this run uses (E2E_BROWSER picks Chromium or Firefox; see test-browser.ts). */
export const launchBrowser = launchTestBrowser;

export interface Harness {
  /** The persona server (local engine, test speech rate): the bundle, the token endpoint, and the demo at `/`. */
  server: TestApp;
  /** A site owner's origin embedding the widget from `server` with the README snippet, listed in ALLOWED_ORIGINS. */
  site: Site;
  browser: Browser;
  close(): Promise<void>;
}

/**
 * The embed as the README describes it: a site on its own origin loads the script and the token endpoint
 * from the persona server, which lists that origin in ALLOWED_ORIGINS. The server also serves its own demo
 * (same origin), as `npm start` does.
 */
export async function startHarness(env: Record<string, string> = {}): Promise<Harness> {
  const site = await startSite();
  const server = await startApp({ ...TEST_SERVER_ENV, ALLOWED_ORIGINS: site.url, ...env }, { servePages: true });
  site.personaServer = server.url;
  const browser = await launchBrowser();
  return {
    server,
    site,
    browser,
    close: async () => {
      await browser.close();
      await site.close();
      await server.close();
    },
  };
}

/** Opens a page and collects what would embarrass us: page errors, CSP violations and blocked requests. */
export async function openPage(browser: Browser, url: string): Promise<{ page: Page; problems: string[] }> {
  const page = await browser.newPage();
  const problems: string[] = [];
  page.on('pageerror', (error) => problems.push(`pageerror: ${(error as Error).message}`));
  page.on('console', (message) => {
    if (/Content Security Policy|Refused to/.test(message.text())) problems.push(`csp: ${message.text()}`);
  });
  // A script or an API call the browser blocks (CORP, CORS) fails here, not as a page error; aborts are the page's own.
  page.on('requestfailed', (request) => {
    const reason = request.failure()?.errorText ?? '';
    if (reason !== 'net::ERR_ABORTED') problems.push(`requestfailed: ${request.url()} ${reason}`);
  });
  await page.goto(url);
  await page.waitForFunction(() => customElements.get('anam-persona') !== undefined);
  return { page, problems };
}

/** The widget's button whose text or aria-label contains `label`, once it is rendered. */
async function widgetButton(page: Page, selector: string, label: string): Promise<ElementHandle<HTMLButtonElement>> {
  const handle = await page.waitForFunction(
    (sel, text) =>
      [...(document.querySelector(sel)?.shadowRoot?.querySelectorAll('button') ?? [])].find((button) =>
        `${button.textContent} ${button.getAttribute('aria-label')}`.includes(text),
      ),
    { timeout: 10_000 },
    selector,
    label,
  );
  return handle as ElementHandle<HTMLButtonElement>;
}

export async function clickButton(page: Page, selector: string, label: string): Promise<void> {
  const button = await widgetButton(page, selector, label);
  await button.evaluate((element) => element.click());
  await button.dispose();
}

/** Clicks the button with the mouse, as a visitor does: scrolled into view, pointer events where it is drawn. */
export async function clickButtonWithMouse(page: Page, selector: string, label: string): Promise<void> {
  const button = await widgetButton(page, selector, label);
  await button.click();
  await button.dispose();
}

/** Types into the widget's message box and presses Enter, as a visitor does. */
export async function typeMessage(page: Page, text: string, selector = 'anam-persona'): Promise<void> {
  await page.type(`${selector} >>> input`, text);
  await page.keyboard.press('Enter');
}

export async function waitForState(page: Page, selector: string, state: string, timeout = 15_000): Promise<void> {
  await page.waitForFunction(
    (sel, wanted) => (document.querySelector(sel) as unknown as { state: string }).state === wanted,
    { timeout },
    selector,
    state,
  );
}

export async function waitUntil<T>(what: string, check: () => T | Promise<T>, timeoutMs = 10_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await check();
    if (value) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

/** Whether the widget's shadow <video> is decoding frames that change over time. */
export async function videoPlays(page: Page, selector: string): Promise<boolean> {
  return page.evaluate(async (sel) => {
    // The widget places its video when a session starts.
    const video = document.querySelector(sel)!.shadowRoot!.querySelector('video');
    if (!video || video.videoWidth === 0) return false;
    const before = video.currentTime;
    await new Promise((resolve) => setTimeout(resolve, 400));
    return video.currentTime > before;
  }, selector);
}

export async function transcriptText(page: Page, selector: string): Promise<string> {
  return page.evaluate(
    (sel) => document.querySelector(sel)!.shadowRoot!.querySelector('.transcript')?.textContent ?? '',
    selector,
  );
}

/** The error the widget shows the visitor (its role="alert" view). */
export async function alertText(page: Page, selector: string): Promise<string> {
  return page.evaluate(
    (sel) => document.querySelector(sel)!.shadowRoot!.querySelector('[role="alert"]')?.textContent ?? '',
    selector,
  );
}
