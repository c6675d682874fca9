// `npm run bench:server`: the token endpoint under load (autocannon, 10 s), with the local engine as
// its upstream in another process, beside the upstream alone — so the server's own cost shows.
import autocannon from 'autocannon';
import { LOCAL_ENGINE_API_KEY } from '../server/config.ts';
import { LOCAL_PERSONA_ID } from '../server/local-engine/catalog.ts';
import { startTestServer } from '../scripts/test-server.ts';

const DURATION_SECONDS = 10;
const CONNECTIONS = 10;

interface Figures {
  requestsPerSecond: number;
  p50: number;
  p99: number;
  non2xx: number;
}

async function drive(url: string, headers: Record<string, string>, body: string): Promise<Figures> {
  const result = await autocannon({
    url,
    method: 'POST',
    headers: { 'content-type': 'application/json', ...headers },
    body,
    connections: CONNECTIONS,
    duration: DURATION_SECONDS,
  });
  return { requestsPerSecond: result.requests.average, p50: result.latency.p50, p99: result.latency.p99, non2xx: result.non2xx };
}

const engine = await startTestServer({ LOCAL_ENGINE_TOKENS_PER_MINUTE: '10000000', LOCAL_ENGINE_TEST_CONTROLS: 'off' });
const server = await startTestServer({
  LOCAL_ENGINE: 'off',
  LOCAL_ENGINE_TEST_CONTROLS: 'off',
  ANAM_API_KEY: LOCAL_ENGINE_API_KEY,
  ANAM_API_BASE: `${engine.url}/local-engine`,
  ANAM_PERSONA_ID: LOCAL_PERSONA_ID,
  RATE_LIMIT_MAX: '1000000',
});

try {
  console.log(
    `autocannon: ${CONNECTIONS} connections, ${DURATION_SECONDS} s each, on a ${(await import('node:os')).cpus().length}-core machine`,
  );
  const upstream = await drive(
    `${engine.url}/local-engine/v1/auth/session-token`,
    { authorization: `Bearer ${LOCAL_ENGINE_API_KEY}` },
    JSON.stringify({ personaConfig: { personaId: LOCAL_PERSONA_ID } }),
  );
  const endpoint = await drive(`${server.url}/api/session-token`, {}, '{}');
  const row = (name: string, figures: Figures) =>
    `${name.padEnd(38)} ${figures.requestsPerSecond.toFixed(0).padStart(8)} ${String(figures.p50).padStart(8)} ms ${String(figures.p99).padStart(8)} ms ${String(figures.non2xx).padStart(8)}`;
  console.log(`${''.padEnd(38)} ${'req/s'.padStart(8)} ${'p50'.padStart(11)} ${'p99'.padStart(11)} ${'non-2xx'.padStart(8)}`);
  console.log(row('upstream alone (local engine)', upstream));
  console.log(row('POST /api/session-token (server + up)', endpoint));
  console.log(
    `the server's own share of a token: about ${Math.max(0, endpoint.p50 - upstream.p50)} ms at p50, ${Math.max(0, endpoint.p99 - upstream.p99)} ms at p99`,
  );
} finally {
  await server.stop();
  await engine.stop();
}
