// npm run test:e2e: the end-to-end suite (node:test driving the real server, engine and SDK) in Chromium, then
// Firefox. E2E_BROWSER=chromium|firefox runs one engine. Arguments are the test files.
// Two files run at a time: each starts its own server, engine and browser on its own ports, and a file spends most of
// its time waiting on media, so a second one fills the idle core (about two minutes less per CI run on two cores).
import { runInEngines } from './engine-runs.ts';
import type { Engine } from './find-browser.ts';

const chosen = process.env['E2E_BROWSER'] as Engine | undefined;
/** A total from node:test's spec summary (e.g. "ℹ pass 12"). */
const count = (output: string, name: string) => new RegExp(`ℹ ${name} (\\d+)`).exec(output)?.[1] ?? '?';

await runInEngines(
  'end-to-end tests',
  chosen ? [chosen] : ['chromium', 'firefox'],
  (engine) => ({
    argv: [
      process.execPath,
      '--import',
      'tsx',
      '--test',
      '--test-force-exit',
      '--test-concurrency=2',
      '--test-reporter=spec',
      ...process.argv.slice(2),
    ],
    env: { E2E_BROWSER: engine },
  }),
  (output) => ['pass', 'fail', 'skipped', 'todo'].map((name) => `${count(output, name)} ${name}`).join(', '),
);
