// npm run test:browser: the component tests (web-test-runner) in Chromium, Firefox and WebKit, one after
// another. WTR_BROWSER=chromium|firefox|webkit runs one engine; arguments go to the runner (e.g. --files).
import { runInEngines } from './engine-runs.ts';
import { ENGINES, type Engine } from './find-browser.ts';

const chosen = process.env['WTR_BROWSER'] as Engine | undefined;

await runInEngines(
  'component tests',
  chosen ? [chosen] : ENGINES,
  (engine) => ({
    argv: [
      process.execPath,
      '--import',
      'tsx',
      'node_modules/@web/test-runner/dist/bin.js',
      '--config',
      'web-test-runner.config.ts',
      ...process.argv.slice(2),
    ],
    env: { WTR_BROWSER: engine },
  }),
  (output) => [...output.matchAll(/\d+ passed, \d+ failed(, \d+ skipped)?/g)].at(-1)?.[0] ?? 'no count',
);
