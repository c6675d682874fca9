// The fake Anam API every contender of `npm run bench:server` asks, in a process of its own: it checks
// the bearer key and answers each token request at once with a fresh JWT-shaped token, so the
// benchmark measures the token servers, not the upstream.
import { createServer } from 'node:http';

const apiKey = process.env['ANAM_API_KEY'] ?? '';
const header = Buffer.from(JSON.stringify({ alg: 'HS256', typ: 'JWT' })).toString('base64url');
const signature = Buffer.alloc(32, 7).toString('base64url');
let minted = 0;

function token(): string {
  const payload = { sub: 'bench', sid: ++minted, exp: Math.floor(Date.now() / 1000) + 3600 };
  return `${header}.${Buffer.from(JSON.stringify(payload)).toString('base64url')}.${signature}`;
}

const server = createServer((request, response) => {
  const chunks: Buffer[] = [];
  request.on('data', (chunk: Buffer) => chunks.push(chunk));
  request.on('end', () => {
    const authorized = request.headers.authorization === `Bearer ${apiKey}`;
    const found = request.method === 'POST' && request.url === '/v1/auth/session-token';
    const status = !found ? 404 : !authorized ? 401 : 200;
    const body = status === 200 ? JSON.stringify({ sessionToken: token() }) : JSON.stringify({ error: 'no' });
    response.writeHead(status, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body) });
    response.end(body);
  });
});
server.keepAliveTimeout = 60_000;
server.listen(Number(process.env['PORT']), '127.0.0.1');
