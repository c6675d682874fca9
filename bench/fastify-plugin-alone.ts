// `npm run bench:server`: the Fastify adapter (`anamPersonaTokens`, dist/handlers/fastify.js, as `anam-persona/fastify` ships it)
// registered on a bare Fastify app with its defaults, logger off — the plugin's own cost per token.
import Fastify from 'fastify';

// The built file, as an owner gets it; typed by its source.
const { anamPersonaTokens } = (await import(
  new URL('../dist/handlers/fastify.js', import.meta.url).href
)) as typeof import('../server/token-node/fastify-plugin.ts');

const app = Fastify();
await app.register(anamPersonaTokens, {
  apiKey: process.env['ANAM_API_KEY']!,
  apiBase: process.env['ANAM_API_BASE']!,
  personaId: process.env['ANAM_PERSONA_ID']!,
  allowedOrigins: (process.env['ALLOWED_ORIGINS'] ?? '').split(','),
  rateLimit: { max: Number(process.env['RATE_LIMIT_MAX']), windowMs: 60_000 },
});
await app.listen({ port: Number(process.env['PORT']), host: '127.0.0.1' });
