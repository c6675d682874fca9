// `npm run bench:starts`: how long Start takes to go live, start after start, and how many starts stall —
// the built widget on a site's own origin, the token and the engine on the persona server, as in the
// README's embed. A stalled start goes live only on the fresh attempt 10 s later, so it shows as a start
// past STALLED_MS. BENCH_STARTS sets how many (default 300); E2E_BROWSER=firefox runs them in Firefox;
// BENCH_ICE_POOL=2 gives every connection the SDK's own pool of two pre-gathered ICE candidates back
// (the widget asks for none), to see the difference in one command.
import { execFileSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { buildNeeded } from '../scripts/build-state.js';
import { startHarness } from '../test/e2e/harness.ts';
import { E2E_ENGINE } from '../test/e2e/test-browser.ts';
import { nearestRank } from './nearest-rank.ts';
import { median } from './widget-include.ts';

const STARTS = Number(process.env['BENCH_STARTS'] ?? 300);
const ICE_POOL = process.env['BENCH_ICE_POOL'];
/** Far beyond any start that did not need the fresh attempt (those take well under a second here). */
const STALLED_MS = 4000;

const root = fileURLToPath(new URL('..', import.meta.url));
const stale = buildNeeded(root);
if (stale) {
  console.log(`Building first (${stale})…`);
  execFileSync('npm', ['run', 'build'], { stdio: 'inherit', cwd: root });
}

const harness = await startHarness({
  RATE_LIMIT_MAX: '100000',
  LOCAL_ENGINE_TOKENS_PER_MINUTE: '100000',
  LOCAL_ENGINE_GREETING: 'off',
});
try {
  const page = await harness.browser.newPage();
  if (ICE_POOL !== undefined) {
    await page.evaluateOnNewDocument(`{
      const Browsers = window.RTCPeerConnection;
      window.RTCPeerConnection = class extends Browsers {
        constructor(configuration) { super({ ...configuration, iceCandidatePoolSize: ${Number(ICE_POOL)} }); }
      };
    }`);
  }
  await page.goto(`${harness.site.url}/one.html`, { waitUntil: 'load' });
  await page.waitForFunction(() => customElements.get('anam-persona') !== undefined);
  const took: number[] = [];
  const failed: string[] = [];
  for (let start = 0; start < STARTS; start++) {
    // (A string: tsx would wrap a named function in a helper the page does not have.)
    const outcome = (await page.evaluate(`(async () => {
      const element = document.querySelector('anam-persona');
      const startedAt = performance.now();
      await element.start();
      const result = { state: element.state, ms: performance.now() - startedAt };
      await element.stop();
      return result;
    })()`)) as { state: string; ms: number };
    if (outcome.state === 'live') took.push(outcome.ms);
    else failed.push(`start ${start}: ${outcome.state}`);
  }
  const sorted = [...took].sort((a, b) => a - b);
  const at = (quantile: number) => nearestRank(sorted, quantile) ?? NaN;
  const stalled = sorted.filter((ms) => ms > STALLED_MS);
  console.log(
    `${STARTS} starts in ${E2E_ENGINE}${ICE_POOL === undefined ? '' : ` with a pool of ${ICE_POOL} pre-gathered ICE candidates`}, ` +
      `start() → live: median ${median(took).toFixed(0)} ms · p90 ${at(0.9).toFixed(0)} ms · p99 ${at(0.99).toFixed(0)} ms · max ${at(1).toFixed(0)} ms`,
  );
  console.log(
    `  stalled (live only after ${STALLED_MS / 1000} s): ${stalled.length}${stalled.length ? ` (${stalled.map((ms) => `${(ms / 1000).toFixed(1)} s`).join(', ')})` : ''}` +
      ` · not live: ${failed.length}${failed.length ? ` (${failed.join('; ')})` : ''}`,
  );
} finally {
  await harness.close();
}
process.exit(0);
