import { chromeLauncher } from '@web/test-runner-chrome';
import { puppeteerLauncher } from '@web/test-runner-puppeteer';
import { webdriverLauncher } from '@web/test-runner-webdriver';
import { esbuildPlugin } from '@web/dev-server-esbuild';
import type { BrowserLauncher } from '@web/test-runner-core';
import { CHROMIUM_TEST_FLAGS, FIREFOX_TEST_PREFS, findBrowser, type Engine } from './scripts/find-browser.ts';
import { bufferShimForTests } from './scripts/wtr-buffer-shim.ts';
import { startTestServer, type RunningServer } from './scripts/test-server.ts';
import { startWebKitDriver, type WebKitDriver } from './scripts/webkit-driver.ts';

let server: RunningServer | undefined;

/** The runner's own port; WTR_PORT lets two checkouts run their suites side by side. */
const port = Number(process.env['WTR_PORT'] ?? 8765);

/** The engine this run uses (scripts/test-browsers.ts runs the suite once per engine, one after another). */
const engine = (process.env['WTR_BROWSER'] ?? 'chromium') as Engine;

/** Starts the real server with the local engine for the tests that need one; tells them its URL. */
const testServerPlugin = {
  name: 'anam-test-server',
  async serverStart() {
    server = await startTestServer({ ALLOWED_ORIGINS: `http://localhost:${port},http://127.0.0.1:${port}` });
  },
  async serverStop() {
    await server?.stop();
  },
  serve(context: { path: string }) {
    if (context.path === '/__test-server.js')
      return { body: `export const TEST_SERVER_URL = ${JSON.stringify(server?.url)};`, type: 'js' };
    return undefined;
  },
};

let webkitDriver: WebKitDriver | undefined;
/** Stops WebKitWebDriver (and its Xvfb) when the runner stops. */
const webkitDriverPlugin = {
  name: 'webkit-driver',
  async serverStop() {
    await webkitDriver?.stop();
  },
};

async function launcher(): Promise<BrowserLauncher> {
  switch (engine) {
    case 'chromium':
      return chromeLauncher({ launchOptions: { executablePath: findBrowser(), headless: true, args: CHROMIUM_TEST_FLAGS } });
    case 'firefox':
      return puppeteerLauncher({
        launchOptions: {
          browser: 'firefox',
          executablePath: findBrowser('firefox'),
          headless: true,
          extraPrefsFirefox: FIREFOX_TEST_PREFS,
        },
      });
    case 'webkit': {
      const binary = findBrowser('webkit');
      webkitDriver = await startWebKitDriver();
      return webdriverLauncher({
        automationProtocol: 'webdriver',
        hostname: '127.0.0.1',
        port: webkitDriver.port,
        logLevel: 'error',
        capabilities: {
          browserName: 'MiniBrowser',
          // WebKitWebDriver speaks classic WebDriver only: it refuses a session that asks for BiDi.
          'wdio:enforceWebDriverClassic': true,
          'webkitgtk:browserOptions': {
            binary,
            // Fake camera and microphone without a prompt, media that plays without a gesture.
            args: [
              '--automation',
              '--enable-media-stream=true',
              '--enable-mock-capture-devices=true',
              '--media-playback-requires-user-gesture=false',
              '--autoplay-policy=allow',
            ],
          },
        },
      } as Parameters<typeof webdriverLauncher>[0]);
    }
    default:
      throw new Error(`WTR_BROWSER=${String(engine)}: use chromium, firefox or webkit.`);
  }
}

export default {
  files: ['test/widget/**/*.test.ts'],
  port,
  concurrency: 1,
  nodeResolve: { browser: true, exportConditions: ['browser', 'production'] },
  testFramework: { config: { timeout: 30_000 } },
  browserStartTimeout: 60_000,
  testsFinishTimeout: 300_000,
  plugins: [
    esbuildPlugin({ ts: true, target: 'es2022', tsconfig: 'tsconfig.widget.json' }),
    bufferShimForTests(),
    testServerPlugin,
    webkitDriverPlugin,
  ],
  browsers: [await launcher()],
};
