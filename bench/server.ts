// `npm run bench:server`: CPU time per minted token, this server beside the Express proxy from Anam's docs,
// both at the same fixed rate against the same fake upstream (the local engine in its own process, on
// loopback), one after the other in one run. CPU per request is steadier than req/s on a shared machine.
import { spawn } from 'node:child_process';
import autocannon from 'autocannon';
import { LOCAL_ENGINE_API_KEY } from '../server/config.ts';
import { LOCAL_PERSONA_ID } from '../server/local-engine/catalog.ts';
import { freePort, startTestServer, type RunningServer } from '../scripts/test-server.ts';
import { cpuSeconds } from './process-usage.ts';

const RATE_PER_SECOND = 300;
const DURATION_SECONDS = 10;
const CONNECTIONS = 10;

interface Figures {
  tokens: number;
  cpuMicrosPerToken: number;
  p99: number;
  non2xx: number;
}

async function drive(target: { url: string; pid: number }): Promise<Figures> {
  const url = `${target.url}/api/session-token`;
  // A short warm-up, so both are measured with their code compiled.
  await autocannon({
    url,
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: '{}',
    duration: 2,
    overallRate: RATE_PER_SECOND,
    connections: CONNECTIONS,
  });
  const cpuBefore = cpuSeconds(target.pid);
  const result = await autocannon({
    url,
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: '{}',
    connections: CONNECTIONS,
    duration: DURATION_SECONDS,
    overallRate: RATE_PER_SECOND,
  });
  const tokens = result['2xx'];
  return {
    tokens,
    cpuMicrosPerToken: ((cpuSeconds(target.pid) - cpuBefore) * 1e6) / Math.max(1, tokens),
    p99: result.latency.p99,
    non2xx: result.non2xx,
  };
}

async function startExpressProxy(upstreamBase: string): Promise<RunningServer> {
  const port = await freePort();
  const child = spawn(process.execPath, ['--import', 'tsx', 'bench/express-proxy.ts'], {
    env: {
      ...process.env,
      PORT: String(port),
      ANAM_API_BASE: upstreamBase,
      ANAM_API_KEY: LOCAL_ENGINE_API_KEY,
      ANAM_PERSONA_ID: LOCAL_PERSONA_ID,
    },
    stdio: ['ignore', 'ignore', 'inherit'],
  });
  const url = `http://127.0.0.1:${port}`;
  while (
    !(await fetch(`${url}/healthz`).then(
      (response) => response.ok,
      () => false,
    ))
  ) {
    if (child.exitCode !== null) throw new Error('the Express proxy exited');
    await new Promise((resolve) => setTimeout(resolve, 150));
  }
  return {
    url,
    pid: child.pid!,
    stop: () => new Promise((resolve) => (child.once('exit', () => resolve()), child.kill('SIGTERM'))),
  };
}

const engine = await startTestServer({ LOCAL_ENGINE_TOKENS_PER_MINUTE: '10000000', LOCAL_ENGINE_TEST_CONTROLS: 'off' });
const upstreamBase = `${engine.url}/local-engine`;
const server = await startTestServer({
  LOCAL_ENGINE: 'off',
  LOCAL_ENGINE_TEST_CONTROLS: 'off',
  ANAM_API_KEY: LOCAL_ENGINE_API_KEY,
  ANAM_API_BASE: upstreamBase,
  ANAM_PERSONA_ID: LOCAL_PERSONA_ID,
  // Every protection stays on; the limit is raised only because all requests come from one address.
  RATE_LIMIT_MAX: '1000000',
  LOG_LEVEL: 'info',
});
const proxy = await startExpressProxy(upstreamBase);

try {
  console.log(
    `${RATE_PER_SECOND} req/s for ${DURATION_SECONDS} s each, ${CONNECTIONS} connections, same upstream (local engine)`,
  );
  const ours = await drive(server);
  const theirs = await drive(proxy);
  const row = (name: string, figures: Figures) =>
    `${name.padEnd(34)} ${figures.cpuMicrosPerToken.toFixed(0).padStart(10)} ${String(figures.p99).padStart(8)} ms ${String(figures.tokens).padStart(8)} ${String(figures.non2xx).padStart(8)}`;
  console.log(
    `${''.padEnd(34)} ${'CPU µs/token'.padStart(10)} ${'p99'.padStart(11)} ${'tokens'.padStart(8)} ${'non-2xx'.padStart(8)}`,
  );
  console.log(row('anam-persona server (all on)', ours));
  console.log(row("Express proxy (Anam's docs)", theirs));
  console.log(
    `the Express proxy spends ${(theirs.cpuMicrosPerToken / ours.cpuMicrosPerToken).toFixed(2)}× this server's CPU per token`,
  );
} finally {
  await proxy.stop();
  await server.stop();
  await engine.stop();
}
