import { randomUUID } from 'node:crypto';
import type { AddressInfo } from 'node:net';
import { fileURLToPath } from 'node:url';
import Fastify, { type FastifyError, type FastifyInstance, type FastifyRequest, type FastifyServerOptions } from 'fastify';
import fastifyStatic from '@fastify/static';
import { ANAM_PUBLIC_API_BASE, LOCAL_ENGINE_PREFIX, type ServerConfig } from './config.ts';
import { contentSecurityPolicy } from './csp.ts';
import { toErrorReply } from './error-handler.ts';
import type { LocalEngine, LocalEngineOptions } from './local-engine/local-engine.ts';
import { connectRedis, redisAnswers } from './redis.ts';
import { Metrics } from './metrics.ts';
import { requestLogging } from './request-log.ts';
import { bundleRoutes } from './routes/bundle.ts';
import { healthRoutes } from './routes/health.ts';
import { metricsRoute } from './routes/metrics.ts';
import { securityHeaders } from './security-headers.ts';
import { anamPersonaTokens, type AuthHook } from './token-node/fastify-plugin.ts';
import { BODY_LIMIT_BYTES } from './token-core/core.ts';

const projectRoot = fileURLToPath(new URL('..', import.meta.url));

export interface AppOptions {
  /** pino options or false; the API key and authorization headers are always redacted. */
  logger?: FastifyServerOptions['logger'] | false;
  authHook?: AuthHook;
  /** Overrides for the mounted local engine (tests: speech rate, fault switches). */
  localEngine?: Partial<Omit<LocalEngineOptions, 'log'>>;
  /** Serve demo/ and dist/ (on by default). */
  servePages?: boolean;
  /** Folder of pages served at / instead of demo/ (the end-to-end tests' own pages). */
  pagesRoot?: string;
  /** Shorter client timeouts for tests; production uses HTTP_TIMEOUTS. */
  httpTimeouts?: Partial<HttpTimeouts>;
}

declare module 'fastify' {
  interface FastifyInstance {
    /** The mounted local engine, when the server runs offline. */
    localEngine: LocalEngine | undefined;
  }
}

/**
 * How long a client may take, so slow or silent connections cannot pile up: the whole request
 * (headers and body) must arrive within `requestMs`, a connection may sit idle `idleMs`, and a
 * kept-alive one waits `keepAliveMs` for its next request (longer than a load balancer's usual
 * 60 s idle timeout, so the proxy never reuses a connection this server just closed).
 */
export const HTTP_TIMEOUTS = {
  requestMs: 10_000,
  idleMs: 30_000,
  keepAliveMs: 72_000,
  /** How often Node looks for requests past their deadline. */
  checkEveryMs: 1000,
};
type HttpTimeouts = typeof HTTP_TIMEOUTS;

/** Builds the token server: plugins and routes, ready for `inject` or `listen`; never listens itself. */
export async function buildApp(config: ServerConfig, options: AppOptions = {}): Promise<FastifyInstance> {
  const overrides = options.logger && typeof options.logger === 'object' ? options.logger : undefined;
  const logging = options.logger === false ? { logger: false } : requestLogging(config.logLevel, overrides);
  const { trustProxy } = config;
  const timeouts = { ...HTTP_TIMEOUTS, ...options.httpTimeouts };
  const app = Fastify({
    ...logging,
    // A hop count trusts that many proxies in front of this server, as proxy-addr counts them.
    trustProxy: typeof trustProxy === 'number' ? (_address: string, hop: number) => hop < trustProxy : trustProxy,
    bodyLimit: BODY_LIMIT_BYTES,
    requestTimeout: timeouts.requestMs,
    connectionTimeout: timeouts.idleMs,
    keepAliveTimeout: timeouts.keepAliveMs,
    http: { headersTimeout: timeouts.requestMs, connectionsCheckingInterval: timeouts.checkEveryMs },
    genReqId: () => randomUUID(),
    // What a browser sends is checked as sent: no silently dropped fields, no coerced types.
    ajv: { customOptions: { removeAdditional: false, coerceTypes: false } },
    return503OnClosing: true,
  });
  // While closing, answers in flight end their keep-alive connection so close() need not wait it out.
  let closing = false;
  app.addHook('preClose', async () => {
    closing = true;
  });
  app.addHook('onSend', (_request, reply, payload, done) => {
    if (closing) reply.header('connection', 'close');
    done(null, payload);
  });
  const metrics = new Metrics();
  const redis = config.redisUrl ? await connectRedis(config.redisUrl, app.log) : undefined;
  app.addHook('onClose', async () => {
    await redis?.quit().catch(() => undefined);
  });

  app.setErrorHandler((error: FastifyError, request, reply) => {
    const { status, body, retryAfterSeconds } = toErrorReply(error);
    if (status >= 500) request.log.error({ err: error, code: body.code }, 'request failed');
    if (retryAfterSeconds !== undefined) reply.header('retry-after', String(retryAfterSeconds));
    return reply.code(status).send(body);
  });
  app.setNotFoundHandler((_request, reply) => reply.code(404).send({ error: 'Not found.', code: 'NOT_FOUND' }));

  const security = securityHeaders({ contentSecurityPolicy: { useDefaults: false, directives: contentSecurityPolicy(config) } });
  app.addHook('onRequest', (_request, reply, done) => {
    reply.headers(security);
    done();
  });

  app.decorate('localEngine', undefined);
  if (config.localEngine) {
    // Loaded only when mounted: its WebRTC peer (@roamhq/wrtc) holds memory and wakes the process while idle.
    const [{ LocalEngine }, { localEnginePlugin }] = await Promise.all([
      import('./local-engine/local-engine.ts'),
      import('./local-engine/plugin.ts'),
    ]);
    const engine = new LocalEngine({
      apiKeys: [config.anamApiKey],
      log: app.log.child({ component: 'local-engine' }),
      ...config.localEngineSettings,
      ...options.localEngine,
    });
    app.localEngine = engine;
    await app.register(localEnginePlugin, { prefix: LOCAL_ENGINE_PREFIX, engine });
    app.log.info({ prefix: LOCAL_ENGINE_PREFIX }, 'local engine mounted: no ANAM_API_KEY, sessions run offline');
  }

  // Offline, the server asks its own mounted engine over HTTP, exactly as it would ask Anam.
  const ownEngineBase = () => {
    const address = app.server.address() as AddressInfo | null;
    if (!address) throw new Error('the server is not listening yet');
    const host = address.family === 'IPv6' ? `[${address.address}]` : address.address;
    return `http://${host === '0.0.0.0' ? '127.0.0.1' : host === '[::]' ? '[::1]' : host}:${address.port}${LOCAL_ENGINE_PREFIX}`;
  };
  const upstreamBase = () => config.anamApiBase ?? ownEngineBase();
  const apiBaseUrlFor = (request: FastifyRequest) => {
    if (!config.anamApiBase) return `${request.protocol}://${request.host}${LOCAL_ENGINE_PREFIX}`;
    return config.anamApiBase === ANAM_PUBLIC_API_BASE ? undefined : config.anamApiBase;
  };

  await app.register(anamPersonaTokens, {
    apiKey: config.anamApiKey,
    // A configured base is a fixed string (one upstream URL for every token); the engine's is known once listening.
    apiBase: config.anamApiBase ?? ownEngineBase,
    personas: config.personas,
    allowedOrigins: config.allowedOrigins,
    originSettingName: 'ALLOWED_ORIGINS',
    ...(config.publicOrigin ? { publicOrigin: config.publicOrigin } : {}),
    allowClientPersonaConfig: config.allowClientPersonaConfig,
    rateLimit: config.rateLimit,
    ...(redis ? { redis } : {}),
    redisFailureMode: config.redisFailureMode,
    ...(config.tokenBudgetPerHour ? { budgetPerHour: config.tokenBudgetPerHour } : {}),
    attemptTimeoutMs: config.upstreamTimeoutMs,
    ...(options.authHook ? { authHook: options.authHook } : {}),
    metrics,
    apiBaseUrlFor,
  });
  await app.register(healthRoutes, {
    checkUpstream: async () => {
      const response = await fetch(`${upstreamBase()}/v1/auth/session-token`, {
        method: 'HEAD',
        signal: AbortSignal.timeout(2000),
      });
      await response.arrayBuffer();
      return true;
    },
    ...(redis ? { checkRedis: () => redisAnswers(redis) } : {}),
    redisRequired: config.redisFailureMode === 'closed',
  });
  await app.register(metricsRoute, { metrics, token: config.metricsToken });

  if (options.servePages !== false) {
    await app.register(fastifyStatic, { root: options.pagesRoot ?? `${projectRoot}demo`, prefix: '/', index: 'index.html' });
    await app.register(bundleRoutes, { root: `${projectRoot}dist` });
  }
  return app;
}
