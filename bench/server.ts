// `npm run bench:server`: CPU time per minted token and latency at a fixed 300 requests/s, for this
// project's server (production start, every protection on) beside the Express proxy from Anam's docs,
// a bare Fastify + undici floor, the Fastify plugin alone and the web handler — all against the same
// fake upstream, each in its own process, measured in turns over several rounds (medians printed).
// CPU per token is read from /proc: steadier than req/s on a shared machine.
import { execFileSync, fork } from 'node:child_process';
import { availableParallelism, loadavg } from 'node:os';
import { fileURLToPath } from 'node:url';
import { LOCAL_PERSONA_ID } from '../server/local-engine/catalog.ts';
import { buildNeeded } from '../scripts/build-state.js';
import { startBenchServer, startProcess, startProjectServer, type Contender, type UpstreamSettings } from './contenders.ts';
import { figuresOf, medianFigures, printTable, printVerdict, type Figures } from './figures.ts';
import type { LoadJob, LoadResult } from './fixed-rate-load.ts';
import { cpuSeconds } from './process-usage.ts';

const RATE_PER_SECOND = 300;
// Short runs, more rounds: a burst of other work on a shared machine spoils one run, not the median.
const SECONDS = Number(process.env['BENCH_SECONDS'] ?? 6);
const ROUNDS = Number(process.env['BENCH_ROUNDS'] ?? 5);
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
const loadProcess = fork(fileURLToPath(new URL('fixed-rate-load.ts', import.meta.url)), {
  execArgv: ['--import', 'tsx'],
  stdio: 'inherit',
});

function load(contender: Contender, seconds: number): Promise<LoadResult> {
  const job: LoadJob = {
    url: `${contender.url}/api/session-token`,
    ratePerSecond: RATE_PER_SECOND,
    durationSeconds: seconds,
    // What the widget sends from an allowed site.
    headers: { 'content-type': 'application/json', accept: 'application/json', origin: SITE },
    body: '{}',
  };
  return new Promise((resolve) => {
    loadProcess.once('message', (result) => resolve(result as LoadResult));
    loadProcess.send(job);
  });
}

async function measure(contender: Contender): Promise<Figures> {
  const before = cpuSeconds(contender.pid);
  const result = await load(contender, SECONDS);
  return figuresOf(result, cpuSeconds(contender.pid) - before);
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
  if (BASELINE) contenders.push(await startProjectServer(`baseline: ${BASELINE}`, settings, { root: BASELINE }));
  const [oneMinute] = loadavg();
  console.log(
    `${RATE_PER_SECOND} req/s for ${SECONDS} s per run, ${ROUNDS} rounds, same fake upstream; load average ${oneMinute!.toFixed(2)} on ${availableParallelism()} cores`,
  );
  for (const contender of contenders) await load(contender, WARM_UP_SECONDS);
  const runs = new Map<Contender, Figures[]>(contenders.map((contender) => [contender, []]));
  for (let round = 0; round < ROUNDS; round++) {
    for (const contender of contenders) runs.get(contender)!.push(await measure(contender));
  }
  const rows = contenders.map((contender) => ({
    name: contender.name,
    figures: medianFigures(runs.get(contender)!),
    perRound: runs.get(contender)!.map((figures) => figures.cpuMicrosPerToken),
  }));
  console.log(`(load average now ${loadavg()[0]!.toFixed(2)})\n`);
  printTable(rows);
  printVerdict(rows[0]!, rows[1]!);
} finally {
  loadProcess.kill();
  for (const contender of contenders.reverse()) await contender.stop();
  await upstream.stop();
}
