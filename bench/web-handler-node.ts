// `npm run bench:server`: the web handler (dist/handlers/web.js, fetch upstream) under a plain Node HTTP
// server, translated the way a Request/Response platform would: for comparison with the Fastify adapter.
import { createServer } from 'node:http';

// The built file, as an owner gets it; typed by its source.
const { createSessionTokenHandler } = (await import(
  new URL('../dist/handlers/web.js', import.meta.url).href
)) as typeof import('../server/token-core/web-handler.ts');

const handle = createSessionTokenHandler({
  apiKey: process.env['ANAM_API_KEY']!,
  apiBase: process.env['ANAM_API_BASE']!,
  personaId: process.env['ANAM_PERSONA_ID']!,
  allowedOrigins: (process.env['ALLOWED_ORIGINS'] ?? '').split(','),
  rateLimit: { max: Number(process.env['RATE_LIMIT_MAX']), windowMs: 60_000 },
});

const server = createServer((request, response) => {
  const chunks: Buffer[] = [];
  request.on('data', (chunk: Buffer) => chunks.push(chunk));
  request.on('end', async () => {
    const headers = new Headers();
    for (const [name, value] of Object.entries(request.headers)) if (typeof value === 'string') headers.set(name, value);
    headers.set('x-real-ip', request.socket.remoteAddress ?? 'unknown');
    const hasBody = request.method !== 'GET' && request.method !== 'HEAD';
    const reply = await handle(
      new Request(`http://${request.headers.host}${request.url}`, {
        method: request.method,
        headers,
        ...(hasBody ? { body: Buffer.concat(chunks) } : {}),
      }),
    );
    response.writeHead(reply.status, Object.fromEntries(reply.headers));
    response.end(Buffer.from(await reply.arrayBuffer()));
  });
});
server.keepAliveTimeout = 60_000;
server.listen(Number(process.env['PORT']), '127.0.0.1');
