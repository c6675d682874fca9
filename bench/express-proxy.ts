// The token proxy as Anam's docs write it (Express + fetch), for `npm run bench:server` to compare with.
import express from 'express';

const app = express();
app.use(express.json());
app.post('/api/session-token', async (_request, response) => {
  const upstream = await fetch(`${process.env['ANAM_API_BASE']}/v1/auth/session-token`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json', Authorization: `Bearer ${process.env['ANAM_API_KEY']}` },
    body: JSON.stringify({ personaConfig: { personaId: process.env['ANAM_PERSONA_ID'] } }),
  });
  const { sessionToken } = (await upstream.json()) as { sessionToken: string };
  response.json({ sessionToken });
});
app.get('/healthz', (_request, response) => response.json({ status: 'ok' }));
app.listen(Number(process.env['PORT']), '127.0.0.1');
