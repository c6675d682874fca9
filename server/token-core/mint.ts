import { Cancellation, type CancelSignal } from './cancellation.ts';
import { TokenError } from './errors.ts';
import type { TokenLogger } from './ports.ts';
import type { UpstreamClient, UpstreamReply } from './upstream-client.ts';
import type { PersonaConfig } from '../persona-config.ts';

export const MAX_ATTEMPTS = 3;
export const BASE_BACKOFF_MS = 200;
/** A Retry-After longer than this is not waited out: the visitor is told when to retry instead. */
export const MAX_RETRY_AFTER_WAIT_MS = 3000;
/** Anam answers a token in a few hundred bytes; anything far longer is not a token answer. */
export const MAX_UPSTREAM_BODY_BYTES = 16 * 1024;
/** An attempt with less time than this left before the deadline is not started. */
const MIN_ATTEMPT_MS = 100;

export interface MintedToken {
  sessionToken: string;
  /** ISO time the token stops working, read from its `exp` claim when it has one. */
  expiresAt?: string;
}

export type AttemptStatus = number | 'timeout' | 'network' | 'redirect' | 'too-large';

export interface MintRequest {
  upstream: UpstreamClient;
  url: string;
  apiKey: string;
  personaConfig: PersonaConfig;
  attemptTimeoutMs: number;
  /** Epoch ms after which no attempt starts and no wait is begun: the whole request's deadline. */
  deadline: number;
  /** Aborted when the visitor goes away: the upstream call is cancelled with it. */
  signal: CancelSignal | undefined;
  log: TokenLogger;
  onAttempt?: (outcome: { status: AttemptStatus; durationMs: number }) => void;
  sleep?: (ms: number, signal: CancelSignal | undefined) => Promise<void>;
}

interface Failure {
  error: TokenError;
  retryable: boolean;
  /** The upstream's own Retry-After, in ms. */
  waitMs?: number;
}

/**
 * Exchanges the API key for one single-use session token: retries 429/5xx/timeouts with backoff
 * (or the upstream's Retry-After when short), all within one deadline. Never caches a token.
 */
export async function mintSessionToken(request: MintRequest): Promise<MintedToken> {
  const sleep = request.sleep ?? abortableSleep;
  for (let attempt = 1; ; attempt++) {
    // A visitor who has left (before the first attempt, or during a wait to retry) gets no call made on
    // their behalf: it would mint a token for nobody, and it could not be cancelled any more.
    if (request.signal?.aborted) throw new TokenError('ANAM_UNAVAILABLE');
    const outcome = await attemptOnce(request, Math.min(request.attemptTimeoutMs, request.deadline - Date.now()));
    if ('sessionToken' in outcome) return outcome;
    const { error, retryable, waitMs } = outcome;
    if (!retryable || attempt >= MAX_ATTEMPTS || request.signal?.aborted) throw error;
    if (waitMs !== undefined && waitMs > MAX_RETRY_AFTER_WAIT_MS) throw error;
    const wait = waitMs ?? backoffWithJitter(attempt);
    if (Date.now() + wait + MIN_ATTEMPT_MS > request.deadline) throw error;
    await sleep(wait, request.signal);
  }
}

async function attemptOnce(request: MintRequest, timeoutMs: number): Promise<MintedToken | Failure> {
  const { upstream, url, apiKey, personaConfig, log, signal } = request;
  const started = performance.now();
  const report = (status: AttemptStatus) => request.onAttempt?.({ status, durationMs: performance.now() - started });
  // One cancellation per attempt, aborted by its own timer or by the visitor leaving.
  const cancel = new Cancellation();
  const timer = setTimeout(() => cancel.abort(), Math.max(1, timeoutMs));
  const onVisitorGone = () => cancel.abort();
  signal?.addEventListener('abort', onVisitorGone);
  let reply: UpstreamReply;
  try {
    reply = await upstream.postJson(url, {
      headers: { 'content-type': 'application/json', authorization: `Bearer ${apiKey}` },
      body: upstreamBody(personaConfig),
      signal: cancel,
      maxBodyBytes: MAX_UPSTREAM_BODY_BYTES,
    });
  } catch (cause) {
    if (cancel.aborted && !signal?.aborted) {
      report('timeout');
      log.warn({ timeoutMs }, 'Anam API did not answer in time');
      return { error: new TokenError('ANAM_TIMEOUT'), retryable: true };
    }
    report('network');
    if (!signal?.aborted) log.warn({ reason: (cause as Error).message }, 'Anam API unreachable');
    return { error: new TokenError('ANAM_UNAVAILABLE'), retryable: !signal?.aborted };
  } finally {
    clearTimeout(timer);
    signal?.removeEventListener('abort', onVisitorGone);
  }
  if (reply.status >= 300 && reply.status < 400) {
    report('redirect');
    log.error(
      { upstreamStatus: reply.status },
      'Anam API answered with a redirect, which is never followed: check ANAM_API_BASE',
    );
    return { error: new TokenError('ANAM_UNAVAILABLE'), retryable: false };
  }
  if (reply.body === null) {
    report('too-large');
    log.error({ upstreamStatus: reply.status }, 'Anam API answered with an oversized body, which was not read');
    return { error: new TokenError('ANAM_UNAVAILABLE'), retryable: reply.status >= 500 };
  }
  report(reply.status);
  if (reply.status >= 200 && reply.status < 300) return readToken(reply.body, log);
  return classify(reply, log);
}

/** The upstream request body of each preset, written once (a visitor's own config is written per request). */
const presetBodies = new WeakMap<PersonaConfig, string>();

function upstreamBody(personaConfig: PersonaConfig): string {
  let body = presetBodies.get(personaConfig);
  if (body === undefined) {
    body = JSON.stringify({ personaConfig });
    if (Object.isFrozen(personaConfig)) presetBodies.set(personaConfig, body);
  }
  return body;
}

function readToken(body: string, log: TokenLogger): MintedToken | Failure {
  let sessionToken: unknown;
  try {
    sessionToken = (JSON.parse(body) as { sessionToken?: unknown } | null)?.sessionToken;
  } catch {
    sessionToken = undefined;
  }
  if (typeof sessionToken !== 'string' || sessionToken === '') {
    log.error({}, 'Anam API answered 2xx without a session token');
    return { error: new TokenError('ANAM_UNAVAILABLE'), retryable: false };
  }
  const expiresAt = readExpiry(sessionToken);
  return expiresAt ? { sessionToken, expiresAt } : { sessionToken };
}

function classify(reply: UpstreamReply, log: TokenLogger): Failure {
  const { status } = reply;
  const upstreamStatus = status;
  if (status === 400) {
    log.error({ upstreamStatus }, 'Anam API refused the persona config: check the presets');
    return { error: new TokenError('ANAM_PERSONA_INVALID'), retryable: false };
  }
  if (status === 401 || status === 403) {
    log.error({ upstreamStatus }, 'Anam API rejected ANAM_API_KEY: check the key and its permissions');
    return { error: new TokenError('ANAM_AUTH_FAILED'), retryable: false };
  }
  if (status === 404) {
    log.error({ upstreamStatus }, 'Anam API does not know the persona: check the presets');
    return { error: new TokenError('ANAM_PERSONA_NOT_FOUND'), retryable: false };
  }
  const retryAfterSeconds = parseRetryAfter(reply.retryAfter);
  const waitMs = retryAfterSeconds === undefined ? undefined : retryAfterSeconds * 1000;
  if (status === 429) {
    log.warn({ upstreamStatus, retryAfterSeconds }, 'Anam API rate limited us');
    const error = new TokenError('ANAM_RATE_LIMITED', { retryAfterSeconds: retryAfterSeconds ?? 5 });
    return { error, retryable: true, ...(waitMs !== undefined ? { waitMs } : {}) };
  }
  if (status === 408) {
    log.warn({ upstreamStatus }, 'Anam API timed out the request');
    return { error: new TokenError('ANAM_TIMEOUT'), retryable: true };
  }
  if (status >= 500) {
    log.warn({ upstreamStatus, retryAfterSeconds }, 'Anam API failed');
    const error = new TokenError('ANAM_UNAVAILABLE', retryAfterSeconds === undefined ? {} : { retryAfterSeconds });
    return { error, retryable: true, ...(waitMs !== undefined ? { waitMs } : {}) };
  }
  log.error({ upstreamStatus }, 'Anam API refused the token request');
  return { error: new TokenError('ANAM_REQUEST_REFUSED'), retryable: false };
}

function backoffWithJitter(attempt: number): number {
  const ceiling = BASE_BACKOFF_MS * 2 ** (attempt - 1);
  return ceiling / 2 + Math.random() * (ceiling / 2);
}

/** Retry-After as seconds (delta-seconds or an HTTP date); anything else, negative included, is ignored. */
export function parseRetryAfter(header: string | null): number | undefined {
  const value = header?.trim();
  if (!value) return undefined;
  if (/^\d+$/.test(value)) return Number(value);
  if (!/GMT$/.test(value)) return undefined;
  const date = Date.parse(value);
  return Number.isNaN(date) ? undefined : Math.max(0, Math.ceil((date - Date.now()) / 1000));
}

/**
 * The last `exp` written as an ISO time: tokens minted within the same second expire in the same second,
 * and formatting a Date costs more than the rest of reading the claim.
 */
const lastExpiry = { exp: Number.NaN, iso: '' };

/** The token's `exp` as an ISO time; the token is JWT-shaped and its payload is not secret. */
function readExpiry(token: string): string | undefined {
  try {
    const part = (token.split('.')[1] ?? '').replace(/-/g, '+').replace(/_/g, '/');
    const { exp } = JSON.parse(atob(part)) as { exp?: unknown };
    if (typeof exp !== 'number') return undefined;
    if (exp !== lastExpiry.exp) {
      lastExpiry.iso = new Date(exp * 1000).toISOString();
      lastExpiry.exp = exp;
    }
    return lastExpiry.iso;
  } catch {
    return undefined;
  }
}

function abortableSleep(ms: number, signal: CancelSignal | undefined): Promise<void> {
  return new Promise((resolve) => {
    const timer = setTimeout(done, ms);
    function done() {
      clearTimeout(timer);
      signal?.removeEventListener('abort', done);
      resolve();
    }
    signal?.addEventListener('abort', done);
  });
}
