import { fileURLToPath } from 'node:url';
import Fastify from 'fastify';
import { Agent, fetch as fetchWith } from 'undici';
import { createTokenCore, type TokenRequest } from '../../server/token-core/core.ts';
import type { TokenLogger } from '../../server/token-core/ports.ts';
import { MemoryRateLimiter, MemoryTokenBudget } from '../../server/token-core/ports.ts';
import { parsePersonaPresets } from '../../server/personas.ts';
import { anamPersonaTokens } from '../../server/token-node/fastify-plugin.ts';
import { LogCapture } from './helpers.ts';
import { describeTokenEndpoint, type AdapterConfig } from './token-behaviour.ts';
import { startWorker } from './worker-runtime.ts';

const TOKEN_URL = 'http://token.test/api/session-token';
const distHandlers = fileURLToPath(new URL('../../dist/handlers/', import.meta.url));

function memoryLogger(): TokenLogger & { text: string } {
  const lines: string[] = [];
  const write = (fields: object, message: string) => lines.push(`${message} ${JSON.stringify(fields)}`);
  return {
    info: write,
    warn: write,
    error: write,
    get text() {
      return lines.join('\n');
    },
  };
}

describeTokenEndpoint('the core', async (config: AdapterConfig) => {
  const logger = memoryLogger();
  const handle = createTokenCore<null>({
    apiKey: config.apiKey,
    apiBase: config.apiBase,
    personas: parsePersonaPresets({ presets: { default: { personaId: config.personaId } } }),
    allowedOrigins: config.allowedOrigins ?? [],
    publicOrigin: config.publicOrigin,
    rateLimiter: new MemoryRateLimiter(config.rateLimitMax ?? 10, 60_000),
    ...(config.budgetPerHour ? { budget: new MemoryTokenBudget(config.budgetPerHour) } : {}),
    ...(config.attemptTimeoutMs ? { attemptTimeoutMs: config.attemptTimeoutMs } : {}),
    apiBaseUrlFor: () => config.apiBase,
    logger,
  });
  return {
    ownOrigin: 'http://token.test',
    send: async ({ method = 'POST', headers = {}, body } = {}) => {
      const lower = Object.fromEntries(Object.entries(headers).map(([key, value]) => [key.toLowerCase(), value]));
      if (body !== undefined) lower['content-length'] = String(Buffer.byteLength(body));
      const request: TokenRequest<null> = {
        method,
        header: (name) => lower[name],
        hasBody: body !== undefined && body !== '',
        readBody: async (maxBytes) => (Buffer.byteLength(body ?? '') > maxBytes ? null : (body ?? '')),
        clientAddress: '198.51.100.7',
        ownOrigin: 'http://token.test',
        signal: undefined,
        native: null,
      };
      const reply = await handle(request);
      return new Response(reply.body === '' ? null : reply.body, { status: reply.status, headers: reply.headers });
    },
    logs: () => logger.text,
    close: async () => undefined,
  };
});

describeTokenEndpoint('the Fastify plugin', async (config: AdapterConfig) => {
  const logs = new LogCapture();
  const app = Fastify({ logger: { stream: logs.stream } });
  await app.register(anamPersonaTokens, {
    apiKey: config.apiKey,
    apiBase: config.apiBase,
    personaId: config.personaId,
    allowedOrigins: config.allowedOrigins ?? [],
    ...(config.publicOrigin ? { publicOrigin: config.publicOrigin } : {}),
    rateLimit: { max: config.rateLimitMax ?? 10, windowMs: 60_000 },
    ...(config.budgetPerHour ? { budgetPerHour: config.budgetPerHour } : {}),
    ...(config.attemptTimeoutMs ? { attemptTimeoutMs: config.attemptTimeoutMs } : {}),
    apiBaseUrlFor: () => config.apiBase,
  });
  const url = await app.listen({ port: 0, host: '127.0.0.1' });
  return {
    ownOrigin: url,
    send: (init = {}) => fetch(`${url}/api/session-token`, init),
    logs: () => logs.text,
    close: () => app.close(),
  };
});

describeTokenEndpoint('the web handler (dist/handlers/web.js)', async (config: AdapterConfig) => {
  const { createSessionTokenHandler } = (await import(
    `${distHandlers}web.js`
  )) as typeof import('../../server/token-core/web-handler.ts');
  const logger = memoryLogger();
  const handler = createSessionTokenHandler({
    apiKey: config.apiKey,
    apiBase: config.apiBase,
    personaId: config.personaId,
    allowedOrigins: config.allowedOrigins ?? [],
    publicOrigin: config.publicOrigin,
    rateLimit: { max: config.rateLimitMax ?? 10, windowMs: 60_000 },
    ...(config.budgetPerHour ? { budgetPerHour: config.budgetPerHour } : {}),
    ...(config.attemptTimeoutMs ? { attemptTimeoutMs: config.attemptTimeoutMs } : {}),
    logger,
  });
  return {
    ownOrigin: 'http://token.test',
    send: (init = {}) => handler(new Request(TOKEN_URL, init)),
    logs: () => logger.text,
    close: async () => undefined,
  };
});

describeTokenEndpoint('the Cloudflare Worker in workerd (dist/handlers/worker.js)', async (config: AdapterConfig) => {
  const worker = await startWorker({
    secrets: { ANAM_API_KEY: config.apiKey },
    vars: {
      ANAM_API_BASE: config.apiBase,
      ANAM_PERSONA_ID: config.personaId,
      ALLOWED_ORIGINS: (config.allowedOrigins ?? []).join(','),
      ...(config.publicOrigin ? { PUBLIC_ORIGIN: config.publicOrigin } : {}),
      RATE_LIMIT_MAX: String(config.rateLimitMax ?? 10),
      ...(config.budgetPerHour ? { TOKEN_BUDGET_PER_HOUR: String(config.budgetPerHour) } : {}),
      ...(config.attemptTimeoutMs ? { UPSTREAM_TIMEOUT_MS: String(config.attemptTimeoutMs) } : {}),
    },
  });
  // workerd closes a connection whose request body the Worker left unread (the 413 for a declared length over the
  // limit), so a pooled client's next request on it failed now and then with ECONNRESET: each request has its own
  // connection here, as a visitor's one token request has.
  const connectionPerRequest = new Agent({ pipelining: 0 });
  return {
    ownOrigin: worker.url,
    send: async (init = {}) =>
      (await fetchWith(`${worker.url}/api/session-token`, {
        ...(init as object),
        dispatcher: connectionPerRequest,
      })) as unknown as Response,
    close: async () => {
      await connectionPerRequest.close();
      await worker.close();
    },
  };
});
