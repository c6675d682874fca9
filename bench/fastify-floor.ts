// The floor for `npm run bench:server`: a bare Fastify route that forwards to the upstream through an
// undici Pool — no origin check, no limits, no logging, no validation. Nothing cheaper does the job.
import Fastify from 'fastify';
import { Pool } from 'undici';

const upstream = new URL(`${process.env['ANAM_API_BASE']}/v1/auth/session-token`);
const pool = new Pool(upstream.origin, { connections: 32 });
const headers = { 'content-type': 'application/json', authorization: `Bearer ${process.env['ANAM_API_KEY']}` };
const body = JSON.stringify({ personaConfig: { personaId: process.env['ANAM_PERSONA_ID'] } });

const app = Fastify();
app.post('/api/session-token', async () => {
  const response = await pool.request({ method: 'POST', path: upstream.pathname, headers, body });
  const { sessionToken } = (await response.body.json()) as { sessionToken: string };
  return { sessionToken };
});
await app.listen({ port: Number(process.env['PORT']), host: '127.0.0.1' });
