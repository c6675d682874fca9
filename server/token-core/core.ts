import { findPersonaConfigProblems, type PersonaConfig } from '../persona-config.ts';
import type { PersonaPresets } from '../personas.ts';
import type { CancelSignal } from './cancellation.ts';
import { TokenError } from './errors.ts';
import { mintSessionToken, type AttemptStatus, type MintedToken } from './mint.ts';
import { corsHeaders, OriginPolicy, PREFLIGHT_HEADERS } from './origin-policy.ts';
import {
  consoleLogger,
  type BudgetVerdict,
  type RateLimiter,
  type TokenBudget,
  type TokenLogger,
  type TokenMetrics,
} from './ports.ts';
import { rateLimitAddress } from './rate-limit-address.ts';
import { checkContentType, parseTokenRequestBody, type TokenRequestBody } from './request-body.ts';
import { fetchUpstreamClient, type UpstreamClient } from './upstream-client.ts';

/** A preset name fits in this; a whole persona config (system prompt included) needs more room. */
export const BODY_LIMIT_BYTES = 1024;
export const CLIENT_CONFIG_BODY_LIMIT_BYTES = 8 * 1024;
/** Per upstream attempt. */
export const DEFAULT_ATTEMPT_TIMEOUT_MS = 3000;
/**
 * The whole request, retries and waits included. It stays under the widget's own token timeout
 * (widget/token-client.ts, TOKEN_TIMEOUT_MS) so the visitor gets the coded answer, not a timeout
 * followed by a second request while the first still runs.
 */
export const DEFAULT_DEADLINE_MS = 8000;

/** An operator's own check before a token is minted: false refuses (401); a user id rate-limits per user. */
export type AuthVerdict = { userId?: string } | boolean | undefined;

/** One token request as any adapter sees it; `native` is the platform's own request (for the auth hook). */
export interface TokenRequest<Native = unknown> {
  method: string;
  /** A header by lower-case name. */
  header(name: string): string | undefined;
  /** True when the request carries a body (content-length > 0 or chunked). */
  hasBody: boolean;
  /** The body as UTF-8 text, or null when it is longer than `maxBytes` (reading stops there). */
  readBody(maxBytes: number): Promise<string | null>;
  /** The address the rate limit counts (the adapter decides which proxies it trusts). */
  clientAddress: string;
  /** The origin the request reached, from its Host: the same-origin shortcut when no public origin is set. */
  ownOrigin: string | undefined;
  /** Aborted when the client goes away: the upstream call is cancelled with it. An AbortSignal will do. */
  signal: CancelSignal | undefined;
  native: Native;
}

export interface TokenReply {
  status: number;
  headers: Record<string, string>;
  body: string;
}

export interface TokenCoreOptions<Native = unknown> {
  apiKey: string;
  /** Upstream API base without a trailing slash, or a function giving it per call. */
  apiBase: string | (() => string);
  personas: PersonaPresets;
  allowedOrigins?: readonly string[];
  publicOrigin?: string | undefined;
  /** The setting an operator changes to allow an origin, named in the warning. */
  originSettingName?: string;
  allowClientPersonaConfig?: boolean;
  upstream?: UpstreamClient;
  rateLimiter?: RateLimiter | undefined;
  budget?: TokenBudget | undefined;
  /** When the rate-limit or budget store fails: serve anyway (open, the default) or refuse with 503 (closed). */
  limitStoreFailure?: 'open' | 'closed';
  logger?: TokenLogger;
  metrics?: TokenMetrics;
  authorize?: (request: TokenRequest<Native>) => AuthVerdict | Promise<AuthVerdict>;
  /** The API base the visitor's SDK must use, when it is not Anam's public one. */
  apiBaseUrlFor?: (request: TokenRequest<Native>) => string | undefined;
  attemptTimeoutMs?: number;
  deadlineMs?: number;
}

export type TokenHandler<Native> = (request: TokenRequest<Native>) => Promise<TokenReply>;

/**
 * The token endpoint with no framework: origin check (refusals readable by the widget), auth hook,
 * JSON-only bounded body, presets, per-visitor limit, spending cap, upstream mint with retries in
 * one deadline, coded errors, no-store. Every adapter is a thin translation around this.
 */
export function createTokenCore<Native>(options: TokenCoreOptions<Native>): TokenHandler<Native> {
  const log = options.logger ?? consoleLogger;
  const origins = new OriginPolicy({
    allowedOrigins: options.allowedOrigins ?? [],
    publicOrigin: options.publicOrigin,
    settingName: options.originSettingName ?? 'ALLOWED_ORIGINS',
    log,
  });
  const upstream = options.upstream ?? fetchUpstreamClient;
  const allowConfig = options.allowClientPersonaConfig ?? false;
  const bodyLimit = allowConfig ? CLIENT_CONFIG_BODY_LIMIT_BYTES : BODY_LIMIT_BYTES;
  const metrics = options.metrics ?? {};
  const apiBase = options.apiBase;
  // A fixed base gives one URL string for every call: no per-token string, and the pool finds it by identity.
  const fixedUrl = typeof apiBase === 'string' ? `${apiBase}/v1/auth/session-token` : undefined;
  const budgetWarnedFor = { window: -1 };

  const onAttempt = metrics.upstreamAttempt
    ? (outcome: { status: AttemptStatus; durationMs: number }) => metrics.upstreamAttempt!(outcome)
    : undefined;

  async function serve(request: TokenRequest<Native>, origin: string | undefined): Promise<TokenReply> {
    if (request.method !== 'POST') {
      throw new TokenError('METHOD_NOT_ALLOWED');
    }
    if (!origins.allows(origin, request.ownOrigin)) {
      origins.refused(origin!);
      throw new TokenError('ORIGIN_NOT_ALLOWED');
    }
    let userId: string | undefined;
    if (options.authorize) {
      const verdict = await options.authorize(request);
      if (verdict === false) throw new TokenError('UNAUTHORIZED');
      if (typeof verdict === 'object' && verdict.userId) userId = verdict.userId;
    }
    const contentType = request.header('content-type');
    checkContentType(contentType);
    const declaredLength = Number(request.header('content-length') ?? 0);
    if (declaredLength > bodyLimit) throw new TokenError('BODY_TOO_LARGE');
    let body: TokenRequestBody = {};
    if (request.hasBody) {
      const text = await request.readBody(bodyLimit);
      if (text === null) throw new TokenError('BODY_TOO_LARGE');
      // No content type and no bytes is a bare POST (the default persona); bytes need a JSON type.
      if (!contentType?.trim()) {
        if (text !== '') throw new TokenError('UNSUPPORTED_MEDIA_TYPE');
      } else body = parseTokenRequestBody(text, allowConfig);
    }
    const personaConfig = choosePersonaConfig(options.personas, body);

    const budgetUnit = await checkLimits(userId ? `user:${userId}` : `ip:${rateLimitAddress(request.clientAddress)}`);

    let minted: MintedToken;
    try {
      minted = await mintSessionToken({
        upstream,
        url: fixedUrl ?? `${(apiBase as () => string)()}/v1/auth/session-token`,
        apiKey: options.apiKey,
        personaConfig,
        attemptTimeoutMs: options.attemptTimeoutMs ?? DEFAULT_ATTEMPT_TIMEOUT_MS,
        deadline: Date.now() + (options.deadlineMs ?? DEFAULT_DEADLINE_MS),
        signal: request.signal,
        log,
        ...(onAttempt ? { onAttempt } : {}),
      });
    } catch (error) {
      // An Anam outage, or visitors who left, must not spend the hour's cap: only tokens count.
      budgetUnit?.giveBack?.();
      throw error;
    }
    metrics.tokenMinted?.();
    const apiBaseUrl = options.apiBaseUrlFor?.(request);
    const answer = apiBaseUrl ? { sessionToken: minted.sessionToken, expiresAt: minted.expiresAt, apiBaseUrl } : minted;
    return { status: 200, headers: jsonHeaders(origin), body: JSON.stringify(answer) };
  }

  /** Counts the request against the visitor's limit and the cap; answers the cap's unit, to give back if no token comes. */
  async function checkLimits(key: string): Promise<BudgetVerdict | undefined> {
    const { rateLimiter, budget } = options;
    try {
      if (rateLimiter) {
        const verdict = await rateLimiter.hit(key);
        if (!verdict.allowed) {
          metrics.requestRateLimited?.();
          throw new TokenError('RATE_LIMITED', { retryAfterSeconds: verdict.retryAfterSeconds });
        }
      }
      if (budget) {
        const verdict = await budget.take();
        if (!verdict.allowed) {
          metrics.budgetExhausted?.();
          if (budgetWarnedFor.window !== verdict.window) {
            budgetWarnedFor.window = verdict.window;
            log.warn(
              { retryAfterSeconds: verdict.retryAfterSeconds },
              'TOKEN_BUDGET_PER_HOUR is spent: visitors are turned away until the hour is over',
            );
          }
          throw new TokenError('TOKEN_BUDGET_EXHAUSTED', { retryAfterSeconds: verdict.retryAfterSeconds });
        }
        return verdict;
      }
    } catch (error) {
      if (error instanceof TokenError) throw error;
      const closed = options.limitStoreFailure === 'closed';
      log.error(
        { reason: (error as Error).message },
        closed
          ? 'rate-limit store unavailable: refusing tokens (fail closed)'
          : 'rate-limit store unavailable: serving tokens WITHOUT limits (fail open)',
      );
      if (closed) throw new TokenError('RATE_LIMIT_UNAVAILABLE', { retryAfterSeconds: 5 });
    }
    return undefined;
  }

  return async (request) => {
    const origin = request.header('origin');
    if (request.method === 'OPTIONS') {
      // Even a refused site's preflight succeeds: its POST is then refused with a 403 the widget can read.
      if (!origins.allows(origin, request.ownOrigin) && origin) origins.refused(origin);
      return { status: 204, headers: { ...corsHeaders(origin), ...PREFLIGHT_HEADERS }, body: '' };
    }
    try {
      return await serve(request, origin);
    } catch (error) {
      // A visitor who left (a body cut off, a wait given up) is no failure to alarm anyone about: the
      // access log line still records the request, and nobody reads this answer.
      const gone = request.signal?.aborted === true;
      const coded = error instanceof TokenError ? error : gone ? new TokenError('INVALID_REQUEST') : unexpected(error, log);
      const headers = jsonHeaders(origin);
      if (coded.retryAfterSeconds !== undefined) headers['retry-after'] = String(coded.retryAfterSeconds);
      if (coded.code === 'METHOD_NOT_ALLOWED') headers['allow'] = 'POST, OPTIONS';
      if (coded.status >= 500 && !gone) log.error({ code: coded.code }, 'token request failed');
      return { status: coded.status, headers, body: JSON.stringify({ error: coded.message, code: coded.code }) };
    }
  };
}

function unexpected(error: unknown, log: TokenLogger): TokenError {
  log.error({ reason: (error as Error)?.message }, 'token request failed unexpectedly');
  return new TokenError('INTERNAL_ERROR');
}

/**
 * The headers of a JSON answer: CORS (when the request has an Origin), JSON, never stored. Added to
 * the fresh CORS object rather than spread into a new one: this runs for every token.
 */
function jsonHeaders(origin: string | undefined): Record<string, string> {
  const headers = corsHeaders(origin);
  headers['content-type'] = 'application/json; charset=utf-8';
  headers['cache-control'] = 'no-store';
  return headers;
}

function choosePersonaConfig(personas: PersonaPresets, body: TokenRequestBody): PersonaConfig {
  if (body.personaConfig !== undefined) {
    const problems = findPersonaConfigProblems(body.personaConfig);
    // Tools run code in visitors' pages: only the server's presets may declare them.
    if (typeof body.personaConfig === 'object' && body.personaConfig !== null && 'tools' in body.personaConfig)
      problems.push("tools may only be declared in the server's presets");
    if (problems.length > 0) throw new TokenError('INVALID_REQUEST', { detail: problems.join('; ') });
    return body.personaConfig as PersonaConfig;
  }
  const name = body.persona ?? personas.defaultPreset;
  const preset = personas.presets.get(name);
  if (!preset) throw new TokenError('UNKNOWN_PERSONA', { detail: name.slice(0, 64) });
  return preset;
}
