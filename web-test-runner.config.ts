import { chromeLauncher } from '@web/test-runner-chrome';
import { esbuildPlugin } from '@web/dev-server-esbuild';
import { CHROMIUM_TEST_FLAGS, findBrowser } from './scripts/find-browser.ts';
import { bufferShimForTests } from './scripts/wtr-buffer-shim.ts';
import { startTestServer, type RunningServer } from './scripts/test-server.ts';

let server: RunningServer | undefined;

/** The runner's own port; WTR_PORT lets two checkouts run their suites side by side. */
const port = Number(process.env['WTR_PORT'] ?? 8765);

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
  ],
  browsers: [chromeLauncher({ launchOptions: { executablePath: findBrowser(), headless: true, args: CHROMIUM_TEST_FLAGS } })],
};
