import { fromServerCode, WidgetError } from './widget-error.ts';

import { TOKEN_TIMEOUT_MS } from './token-timing.ts';

export { TOKEN_TIMEOUT_MS };
export const TOKEN_MAX_ATTEMPTS = 3;
const RETRY_BASE_MS = 300;
/** A server asking for a longer wait than this is not retried silently: the visitor is told. */
const MAX_SILENT_WAIT_SECONDS = 3;
/** Server codes that already include the server's own upstream retries. */
const SERVER_RETRIED = new Set(['ANAM_UNAVAILABLE', 'ANAM_TIMEOUT']);

export interface SessionTokenReply {
  sessionToken: string;
  apiBaseUrl?: string;
  expiresAt?: string;
}

export interface TokenRequest {
  endpoint: string;
  persona?: string;
  credentials: RequestCredentials;
  signal?: AbortSignal;
  timeoutMs?: number;
  fetch?: typeof fetch;
  sleep?: (ms: number) => Promise<void>;
}

/**
 * Asks the site's token endpoint for a session token: with a timeout, cancellable, and retried a
 * few times when the network or the server stumbles (never for a 4xx). Every failure becomes a
 * WidgetError the visitor can be told about.
 */
export async function fetchSessionToken(request: TokenRequest): Promise<SessionTokenReply> {
  const sleep = request.sleep ?? ((ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms)));
  for (let attempt = 1; ; attempt++) {
    try {
      return await fetchOnce(request);
    } catch (error) {
      const widgetError = error instanceof WidgetError ? error : new WidgetError('UNKNOWN', String(error));
      if (request.signal?.aborted) throw request.signal.reason ?? widgetError;
      if (!isRetryable(widgetError) || attempt >= TOKEN_MAX_ATTEMPTS) throw widgetError;
      await sleep(widgetError.retryAfterSeconds ? widgetError.retryAfterSeconds * 1000 : RETRY_BASE_MS * 2 ** (attempt - 1));
    }
  }
}

/** Answers that mean the URL is not a token endpoint: asking again cannot help. */
const WRONG_URL_ANSWERS = new Set(['HTTP_404', 'HTTP_405', 'HTTP_501']);

function isRetryable(error: WidgetError): boolean {
  if (error.code === 'TOKEN_ENDPOINT_UNREACHABLE') return !WRONG_URL_ANSWERS.has(error.detail ?? '');
  // The server already retried the upstream within its deadline: asking again would only multiply calls.
  if (error.code === 'SERVICE_UNAVAILABLE') return !SERVER_RETRIED.has(error.detail ?? '');
  return (
    error.code === 'RATE_LIMITED' && error.retryAfterSeconds !== undefined && error.retryAfterSeconds <= MAX_SILENT_WAIT_SECONDS
  );
}

async function fetchOnce({
  endpoint,
  persona,
  credentials,
  signal,
  timeoutMs = TOKEN_TIMEOUT_MS,
  fetch: fetchImpl = fetch,
}: TokenRequest) {
  const timeout = AbortSignal.timeout(timeoutMs);
  let response: Response;
  try {
    response = await fetchImpl(endpoint, {
      method: 'POST',
      headers: { 'content-type': 'application/json', accept: 'application/json' },
      body: JSON.stringify(persona ? { persona } : {}),
      credentials,
      cache: 'no-store',
      signal: signal ? anySignal([signal, timeout]) : timeout,
    });
  } catch (error) {
    if (signal?.aborted) throw error;
    throw new WidgetError('TOKEN_ENDPOINT_UNREACHABLE', 'token endpoint unreachable', timeout.aborted ? 'TIMEOUT' : 'NETWORK');
  }
  const body = (await response.json().catch(() => undefined)) as Record<string, unknown> | undefined;
  if (!response.ok) {
    const serverCode = typeof body?.['code'] === 'string' ? body['code'] : undefined;
    const retryAfter = Number(response.headers.get('retry-after'));
    throw new WidgetError(
      fromServerCode(serverCode, response.status),
      typeof body?.['error'] === 'string' ? body['error'] : `HTTP ${response.status}${body ? '' : ', not JSON'}`,
      serverCode ?? `HTTP_${response.status}`,
      Number.isFinite(retryAfter) && retryAfter > 0 ? Math.ceil(retryAfter) : undefined,
    );
  }
  if (typeof body?.['sessionToken'] !== 'string' || body['sessionToken'].split('.').length !== 3) {
    throw new WidgetError(
      'BAD_TOKEN_RESPONSE',
      'the token endpoint did not answer with a session token',
      body ? 'NO_TOKEN' : 'NOT_JSON',
    );
  }
  return {
    sessionToken: body['sessionToken'],
    ...(typeof body['apiBaseUrl'] === 'string' ? { apiBaseUrl: body['apiBaseUrl'] } : {}),
    ...(typeof body['expiresAt'] === 'string' ? { expiresAt: body['expiresAt'] } : {}),
  };
}

/** AbortSignal.any, which older Safari lacks. */
function anySignal(signals: AbortSignal[]): AbortSignal {
  if ('any' in AbortSignal) return AbortSignal.any(signals);
  const controller = new AbortController();
  for (const signal of signals) {
    if (signal.aborted) controller.abort(signal.reason);
    else signal.addEventListener('abort', () => controller.abort(signal.reason), { once: true });
  }
  return controller.signal;
}
