import type { FastifyBaseLogger } from 'fastify';
import {
  AnamAuthFailedError,
  AnamPersonaInvalidError,
  AnamPersonaNotFoundError,
  AnamRateLimitedError,
  AnamTimeoutError,
  AnamUnavailableError,
} from './errors.ts';
import type { PersonaConfig } from './persona-config.ts';

export const MAX_ATTEMPTS = 3;
export const BASE_BACKOFF_MS = 200;
/** A Retry-After longer than this is not waited out: the visitor is told when to retry instead. */
export const MAX_RETRY_AFTER_WAIT_MS = 3000;

export interface MintedToken {
  sessionToken: string;
  /** ISO time the token stops working, read from its `exp` claim when it has one. */
  expiresAt?: string;
}

export interface AnamApiOptions {
  /** The API base, or a function giving it per call (the mounted local engine lives at this server's own address). */
  baseUrl: string | (() => string);
  apiKey: string;
  timeoutMs: number;
  log: FastifyBaseLogger;
  /** Called once per attempt with how it went, for the metrics. */
  onAttempt?: (outcome: { status: number | 'timeout' | 'network'; durationMs: number }) => void;
  sleep?: (ms: number) => Promise<void>;
}

type UpstreamError = Error & { statusCode?: number; retryAfterSeconds?: number };

/**
 * The upstream client: exchanges the API key for one single-use session token per call. Never
 * caches a token (each one starts exactly one session, for one visitor). Node's fetch keeps
 * connections to the upstream alive between calls.
 */
export class AnamApi {
  constructor(private readonly options: AnamApiOptions) {}

  async mintSessionToken(personaConfig: PersonaConfig, signal?: AbortSignal): Promise<MintedToken> {
    const sleep = this.options.sleep ?? ((ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms)));
    for (let attempt = 1; ; attempt++) {
      const outcome = await this.attempt(personaConfig, signal);
      if ('sessionToken' in outcome) return outcome;
      const { error, retryable, waitMs } = outcome;
      if (!retryable || attempt >= MAX_ATTEMPTS || signal?.aborted) throw error;
      if (waitMs !== undefined && waitMs > MAX_RETRY_AFTER_WAIT_MS) throw error;
      await sleep(waitMs ?? backoffWithJitter(attempt));
    }
  }

  private async attempt(
    personaConfig: PersonaConfig,
    signal: AbortSignal | undefined,
  ): Promise<MintedToken | { error: UpstreamError; retryable: boolean; waitMs?: number }> {
    const { apiKey, timeoutMs, log } = this.options;
    const timeout = AbortSignal.timeout(timeoutMs);
    const started = performance.now();
    const report = (status: number | 'timeout' | 'network') =>
      this.options.onAttempt?.({ status, durationMs: performance.now() - started });
    let response: Response;
    try {
      response = await fetch(`${this.baseUrl()}/v1/auth/session-token`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', authorization: `Bearer ${apiKey}` },
        body: JSON.stringify({ personaConfig }),
        signal: signal ? AbortSignal.any([signal, timeout]) : timeout,
      });
    } catch (cause) {
      if (timeout.aborted) {
        report('timeout');
        log.warn({ timeoutMs }, 'Anam API did not answer in time');
        return { error: new AnamTimeoutError(), retryable: true };
      }
      report('network');
      log.warn({ reason: (cause as Error).message }, 'Anam API unreachable');
      return { error: new AnamUnavailableError(), retryable: !signal?.aborted };
    }
    report(response.status);
    if (response.ok) return this.readToken(response);
    // Never pass the upstream body on: it is drained only so the connection can be reused.
    await response.arrayBuffer().catch(() => undefined);
    return this.classify(response);
  }

  private async readToken(response: Response): Promise<MintedToken | { error: UpstreamError; retryable: boolean }> {
    const body = (await response.json().catch(() => undefined)) as { sessionToken?: unknown } | undefined;
    if (typeof body?.sessionToken !== 'string' || body.sessionToken === '') {
      this.options.log.error('Anam API answered 2xx without a session token');
      return { error: new AnamUnavailableError(), retryable: false };
    }
    const expiresAt = readExpiry(body.sessionToken);
    return expiresAt ? { sessionToken: body.sessionToken, expiresAt } : { sessionToken: body.sessionToken };
  }

  private classify(response: Response): { error: UpstreamError; retryable: boolean; waitMs?: number } {
    const { status } = response;
    const log = this.options.log;
    if (status === 401 || status === 403) {
      log.error({ upstreamStatus: status }, 'Anam API rejected ANAM_API_KEY: check the key and its permissions');
      return { error: new AnamAuthFailedError(), retryable: false };
    }
    if (status === 404) {
      log.error({ upstreamStatus: status }, 'Anam API does not know the persona: check the presets');
      return { error: new AnamPersonaNotFoundError(), retryable: false };
    }
    if (status === 429) {
      const retryAfterSeconds = parseRetryAfter(response.headers.get('retry-after'));
      const error: UpstreamError = new AnamRateLimitedError();
      error.retryAfterSeconds = retryAfterSeconds ?? 5;
      log.warn({ upstreamStatus: status, retryAfterSeconds }, 'Anam API rate limited us');
      return { error, retryable: true, ...(retryAfterSeconds !== undefined ? { waitMs: retryAfterSeconds * 1000 } : {}) };
    }
    if (status >= 500) {
      log.warn({ upstreamStatus: status }, 'Anam API failed');
      return { error: new AnamUnavailableError(), retryable: true };
    }
    log.error({ upstreamStatus: status }, 'Anam API refused the persona config: check the presets');
    return { error: new AnamPersonaInvalidError(), retryable: false };
  }

  private baseUrl(): string {
    const { baseUrl } = this.options;
    return typeof baseUrl === 'function' ? baseUrl() : baseUrl;
  }
}

function backoffWithJitter(attempt: number): number {
  const ceiling = BASE_BACKOFF_MS * 2 ** (attempt - 1);
  return ceiling / 2 + Math.random() * (ceiling / 2);
}

/** Retry-After as seconds: either delta-seconds or an HTTP date. */
export function parseRetryAfter(header: string | null): number | undefined {
  if (!header) return undefined;
  if (/^\d+$/.test(header.trim())) return Number(header.trim());
  const date = Date.parse(header);
  return Number.isNaN(date) ? undefined : Math.max(0, Math.ceil((date - Date.now()) / 1000));
}

/** The token's `exp` as an ISO time; the token is JWT-shaped and its payload is not secret. */
function readExpiry(token: string): string | undefined {
  try {
    const payload = JSON.parse(Buffer.from(token.split('.')[1] ?? '', 'base64url').toString('utf8')) as { exp?: unknown };
    return typeof payload.exp === 'number' ? new Date(payload.exp * 1000).toISOString() : undefined;
  } catch {
    return undefined;
  }
}
