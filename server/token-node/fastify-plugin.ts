import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import fp from 'fastify-plugin';
import type { Redis } from 'ioredis';
import { parsePersonaPresets, type PersonaPresets } from '../personas.ts';
import { Cancellation } from '../token-core/cancellation.ts';
import { createTokenCore, type AuthVerdict, type TokenCoreOptions, type TokenRequest } from '../token-core/core.ts';
import { MemoryRateLimiter, MemoryTokenBudget, type TokenMetrics } from '../token-core/ports.ts';
import type { UpstreamClient } from '../token-core/upstream-client.ts';
import { isExactOrigin, notAnOriginReason } from '../token-core/url-checks.ts';
import { readBodyStream, type BodyStream } from './read-body.ts';
import { createRedisLimits, type RedisFailureMode } from './redis-limits.ts';
import { createUndiciUpstream } from './undici-upstream.ts';

export const DEFAULT_PREFIX = '/api';
export const DEFAULT_API_BASE = 'https://api.anam.ai';
export const DEFAULT_RATE_LIMIT = { max: 10, windowMs: 60_000 };

export type AuthHook = (request: FastifyRequest) => Promise<AuthVerdict> | AuthVerdict;

export interface AnamPersonaTokensOptions {
  /** The Anam API key; it never reaches a browser, a reply or a log. */
  apiKey: string;
  /** Upstream API base (default Anam's), or a function giving it per call. */
  apiBase?: string | (() => string);
  /** Presets in the PERSONAS_FILE format, or parsed ones; or `personaId` for a single persona. */
  personas?: PersonaPresets | { default?: string; presets: Record<string, unknown> };
  personaId?: string;
  /** Exact origins of the sites that embed the widget. */
  allowedOrigins?: readonly string[];
  /** The origin visitors reach this server at; trusted over Host for the same-origin shortcut. */
  publicOrigin?: string;
  /** Route prefix: the endpoint is `${prefix}/session-token` (default /api). */
  prefix?: string;
  allowClientPersonaConfig?: boolean;
  /** Tokens per address (or per user from the auth hook) per window; false turns the limit off. */
  rateLimit?: { max: number; windowMs: number } | false;
  /** Shares the rate limit and the spending cap between instances. */
  redis?: Redis;
  /** The spending cap: tokens per clock hour for everyone together (off when unset). */
  budgetPerHour?: number;
  /** While Redis fails: count in this instance alone (open, the default) or refuse with 503 (closed). */
  redisFailureMode?: RedisFailureMode;
  attemptTimeoutMs?: number;
  deadlineMs?: number;
  authHook?: AuthHook;
  metrics?: TokenMetrics;
  /** The API base the visitor's SDK must use, when it is not Anam's public one. */
  apiBaseUrlFor?: (request: FastifyRequest) => string | undefined;
  /** Defaults to an undici pool; closed with the app. */
  upstream?: UpstreamClient;
  /** The setting named in the refused-origin warning (default: the allowedOrigins option). */
  originSettingName?: string;
}

/**
 * `app.register(anamPersonaTokens, { apiKey, personas, allowedOrigins })`: POST (and the CORS
 * preflight of) `${prefix}/session-token`, a thin adapter over the framework-free token core.
 */
export const anamPersonaTokens = fp(
  async (app: FastifyInstance, options: AnamPersonaTokensOptions) => {
    const personas = readPersonaOption(options);
    if (typeof options.apiKey !== 'string' || options.apiKey.trim() === '') {
      throw new Error('anamPersonaTokens: apiKey is required');
    }
    for (const origin of options.allowedOrigins ?? []) {
      if (!isExactOrigin(origin)) throw new Error(`anamPersonaTokens: allowedOrigins: ${notAnOriginReason(origin)}`);
    }
    const rateLimit = options.rateLimit === undefined ? DEFAULT_RATE_LIMIT : options.rateLimit;
    const { redis, budgetPerHour } = options;
    const upstream = options.upstream ?? createUndiciUpstream();
    if (!options.upstream) app.addHook('onClose', async () => upstream.close?.());

    const log = app.log.child({ component: 'session-token' });
    const budgetOrOff = budgetPerHour && budgetPerHour > 0 ? budgetPerHour : undefined;
    const limits = redis
      ? createRedisLimits({ redis, mode: options.redisFailureMode ?? 'open', log, rateLimit, budgetPerHour: budgetOrOff })
      : {
          ...(rateLimit ? { rateLimiter: new MemoryRateLimiter(rateLimit.max, rateLimit.windowMs) } : {}),
          ...(budgetOrOff ? { budget: new MemoryTokenBudget(budgetOrOff) } : {}),
        };
    const coreOptions: TokenCoreOptions<FastifyRequest> = {
      apiKey: options.apiKey,
      apiBase: options.apiBase ?? DEFAULT_API_BASE,
      personas,
      allowedOrigins: options.allowedOrigins ?? [],
      publicOrigin: options.publicOrigin,
      originSettingName: options.originSettingName ?? 'the allowedOrigins option',
      allowClientPersonaConfig: options.allowClientPersonaConfig ?? false,
      upstream,
      ...limits,
      limitStoreFailure: options.redisFailureMode ?? 'open',
      logger: log,
      ...(options.metrics ? { metrics: options.metrics } : {}),
      ...(options.authHook ? { authorize: (request: TokenRequest<FastifyRequest>) => options.authHook!(request.native) } : {}),
      ...(options.apiBaseUrlFor
        ? { apiBaseUrlFor: (request: TokenRequest<FastifyRequest>) => options.apiBaseUrlFor!(request.native) }
        : {}),
      ...(options.attemptTimeoutMs ? { attemptTimeoutMs: options.attemptTimeoutMs } : {}),
      ...(options.deadlineMs ? { deadlineMs: options.deadlineMs } : {}),
    };
    const handle = createTokenCore(coreOptions);

    // Its own scope, so the body is left to the core (which reads it within its limit) and
    // nothing here changes how the rest of the app parses bodies.
    await app.register(async (scope) => {
      scope.removeAllContentTypeParsers();
      scope.addContentTypeParser('*', (_request, payload, done) => done(null, payload));
      scope.route({
        method: ['POST', 'OPTIONS'],
        url: `${(options.prefix ?? DEFAULT_PREFIX).replace(/\/+$/, '')}/session-token`,
        handler: (request, reply) => serve(handle, request, reply),
      });
    });
  },
  { name: 'anam-persona-tokens', fastify: '5.x' },
);

async function serve(handle: ReturnType<typeof createTokenCore<FastifyRequest>>, request: FastifyRequest, reply: FastifyReply) {
  const { headers } = request;
  // The socket, not the request stream (already read): a visitor who leaves cancels the upstream call.
  const visitorGone = new Cancellation();
  const response = reply.raw;
  const onClose = () => {
    if (!response.writableFinished) visitorGone.abort();
  };
  response.once('close', onClose);
  const answer = await handle({
    method: request.method,
    header: (name) => {
      const value = headers[name];
      return Array.isArray(value) ? value.join(', ') : value;
    },
    hasBody: headers['transfer-encoding'] !== undefined || Number(headers['content-length'] ?? 0) > 0,
    readBody: (maxBytes) => readBodyStream((request.body as BodyStream | undefined) ?? request.raw, maxBytes),
    clientAddress: request.ip,
    ownOrigin: `${request.protocol}://${request.host}`,
    signal: visitorGone,
    native: request,
  });
  // A body cut off at the limit is not read further: the connection goes with it.
  if (answer.status === 413) answer.headers['connection'] = 'close';
  return reply
    .code(answer.status)
    .headers(answer.headers)
    .send(answer.body === '' ? undefined : answer.body);
}

function readPersonaOption(options: AnamPersonaTokensOptions): PersonaPresets {
  try {
    if (options.personas && (options.personas as PersonaPresets).presets instanceof Map)
      return options.personas as PersonaPresets;
    if (options.personas) return parsePersonaPresets(options.personas);
    if (options.personaId)
      return parsePersonaPresets({ default: 'default', presets: { default: { personaId: options.personaId } } });
  } catch (error) {
    throw new Error(`anamPersonaTokens: personas: ${(error as Error).message}`);
  }
  throw new Error('anamPersonaTokens: personas or personaId is required');
}
