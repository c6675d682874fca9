// `npm run bench:server`: CPU time per minted token and latency at a fixed 300 requests/s, for this
// project's server (production start, every protection on) beside the Express proxy from Anam's docs,
// a bare Fastify + undici floor, the Fastify plugin alone and the web handler — all against the same
// fake upstream, each in its own process, measured in turns over several rounds (medians printed),
// each turn first just after idling, then steady.
// CPU per token is read from /proc: steadier than req/s on a shared machine.
import { execFileSync, fork, type ChildProcess } from 'node:child_process';
import { availableParallelism, loadavg } from 'node:os';
import { fileURLToPath } from 'node:url';
import { LOCAL_PERSONA_ID } from '../server/local-engine/catalog.ts';
import { buildNeeded } from '../scripts/build-state.js';
import { startBenchServer, startProcess, startProjectServer, type Contender, type UpstreamSettings } from './contenders.ts';
import { figuresOf, medianFigures, printBeforeAfter, printTable, printVerdict, type Figures } from './figures.ts';
import type { LoadJob, LoadResult } from './fixed-rate-load.ts';
import { cpuSeconds } from './process-usage.ts';

const RATE_PER_SECOND = 300;
// Short runs, many rounds: a burst of other work on a shared machine spoils one run, not the median, and
// each round's ratio compares runs seconds apart. (5 × 6 s gave this server 706…1428 µs in one run.)
const SECONDS = Number(process.env['BENCH_SECONDS'] ?? 3);
const ROUNDS = Number(process.env['BENCH_ROUNDS'] ?? 12);
/**
 * Each contender first serves this long at the same rate: V8 compiles a server's hot code over its first
 * few thousand requests (on its own threads, counted in the process's CPU), and a server in production
 * runs for days. With 3 s, a third of this server's CPU went to the compiler in the first rounds.
 */
const WARM_UP_SECONDS = Number(process.env['BENCH_WARM_UP_SECONDS'] ?? 15);
/** BENCH_PROFILE=dir: this server runs with --cpu-prof and writes its profile there when it stops. */
const PROFILE_DIR = process.env['BENCH_PROFILE'];
/** BENCH_BASELINE=dir: another checkout's built server (dist-server/) runs too, for a before/after in one run. */
const BASELINE = process.env['BENCH_BASELINE'];
const SITE = 'https://shop.example';
const API_KEY = 'bench-api-key';

const root = fileURLToPath(new URL('..', import.meta.url));
const stale = buildNeeded(root);
if (stale) {
  console.log(`Building first (${stale})…`);
  execFileSync('npm', ['run', 'build'], { stdio: 'inherit', cwd: root });
}

const upstream = await startProcess('fake upstream', ['--import', 'tsx', 'bench/fake-upstream.ts'], { ANAM_API_KEY: API_KEY });
const settings: UpstreamSettings = {
  ANAM_API_BASE: upstream.url,
  ANAM_API_KEY: API_KEY,
  ANAM_PERSONA_ID: LOCAL_PERSONA_ID,
  ALLOWED_ORIGINS: SITE,
  RATE_LIMIT_MAX: '1000000',
};
const contenders: Contender[] = [];
const startLoadProcess = () =>
  fork(fileURLToPath(new URL('fixed-rate-load.ts', import.meta.url)), { execArgv: ['--import', 'tsx'], stdio: 'inherit' });
const loadProcess = startLoadProcess();
/** The baseline's own load generator: it is measured at the same time as this server (below). */
const baselineLoadProcess = BASELINE ? startLoadProcess() : undefined;

function load(contender: Contender, seconds: number, generator = loadProcess): Promise<LoadResult> {
  const job: LoadJob = {
    url: `${contender.url}/api/session-token`,
    ratePerSecond: RATE_PER_SECOND,
    durationSeconds: seconds,
    // What the widget sends from an allowed site.
    headers: { 'content-type': 'application/json', accept: 'application/json', origin: SITE },
    body: '{}',
  };
  return new Promise((resolve) => {
    generator.once('message', (result) => resolve(result as LoadResult));
    generator.send(job);
  });
}

/**
 * One contender's turn: its first run comes after sitting idle while the others took theirs (12 s or more),
 * its second straight after, already serving 300 req/s — the steady state the goal names. After idling,
 * V8's memory reducer has shrunk the heap and the first seconds back can cost more (some runs of this
 * server 1.5–2×; with --no-memory-reducer none did), so both are printed; the goal is judged on the steady run.
 */
interface Turn {
  afterIdle: Figures;
  steady: Figures;
}

async function measure(contender: Contender, generator = loadProcess): Promise<Figures> {
  const before = cpuSeconds(contender.pid);
  const result = await load(contender, SECONDS, generator);
  return figuresOf(result, cpuSeconds(contender.pid) - before);
}

/**
 * Before/after: this server and the baseline served at the same time, each at the full rate from its own
 * generator, round after round, so both meet the same machine at every moment. Measured in turns, two
 * builds of the same code differed by 10% between runs a few seconds apart on this shared machine — as
 * much as a change worth landing; side by side they agree within 1%.
 */
async function compareWithBaseline(ours: Contender, baseline: Contender, generator: ChildProcess): Promise<void> {
  await Promise.all([load(ours, WARM_UP_SECONDS), load(baseline, WARM_UP_SECONDS, generator)]);
  const pairs: [Figures, Figures][] = [];
  for (let round = 0; round < ROUNDS; round++) {
    pairs.push(await Promise.all([measure(ours), measure(baseline, generator)]));
  }
  printBeforeAfter(pairs);
}

try {
  contenders.push(
    await startProjectServer('anam-persona server (production, all on)', settings, {
      nodeFlags: PROFILE_DIR ? ['--cpu-prof', `--cpu-prof-dir=${PROFILE_DIR}`] : [],
    }),
    await startBenchServer("Express proxy (Anam's docs, fetch)", 'express-proxy.ts', settings),
    await startBenchServer('floor: bare Fastify + undici Pool', 'fastify-floor.ts', settings),
    await startBenchServer('Fastify plugin alone (bare app)', 'fastify-plugin-alone.ts', settings),
    await startBenchServer('web handler (fetch) under node:http', 'web-handler-node.ts', settings),
  );
  const [oneMinute] = loadavg();
  console.log(
    `${RATE_PER_SECOND} req/s for ${SECONDS} s per run, ${ROUNDS} rounds, same fake upstream; load average ${oneMinute!.toFixed(2)} on ${availableParallelism()} cores`,
  );
  for (const contender of contenders) await load(contender, WARM_UP_SECONDS);
  const runs = new Map<Contender, Turn[]>(contenders.map((contender) => [contender, []]));
  for (let round = 0; round < ROUNDS; round++) {
    // Each round starts with the next contender, so none always runs first, or always right after another.
    for (let turn = 0; turn < contenders.length; turn++) {
      const contender = contenders[(round + turn) % contenders.length]!;
      const afterIdle = await measure(contender);
      runs.get(contender)!.push({ afterIdle, steady: await measure(contender) });
    }
  }
  const rows = contenders.map((contender) => {
    const turns = runs.get(contender)!;
    return {
      name: contender.name,
      figures: medianFigures(turns.map((turn) => turn.steady)),
      perRound: turns.map((turn) => turn.steady.cpuMicrosPerToken),
      afterIdle: medianFigures(turns.map((turn) => turn.afterIdle)).cpuMicrosPerToken,
      afterIdlePerRound: turns.map((turn) => turn.afterIdle.cpuMicrosPerToken),
    };
  });
  console.log(`(load average now ${loadavg()[0]!.toFixed(2)})\n`);
  printTable(rows);
  printVerdict(rows[0]!, rows[1]!, rows[2]!);
  if (BASELINE && baselineLoadProcess) {
    const baseline = await startProjectServer(`baseline: ${BASELINE}`, settings, { root: BASELINE });
    contenders.push(baseline);
    console.log(
      `\nBefore/after: ${BASELINE} and this server side by side, ${ROUNDS} rounds of ${SECONDS} s at ${RATE_PER_SECOND} req/s each`,
    );
    await compareWithBaseline(contenders[0]!, baseline, baselineLoadProcess);
  }
} finally {
  loadProcess.kill();
  baselineLoadProcess?.kill();
  for (const contender of contenders.reverse()) await contender.stop();
  await upstream.stop();
}
