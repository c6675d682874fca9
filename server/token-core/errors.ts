/**
 * Every answer the token endpoint gives besides a token, in one place: a stable code the widget
 * translates, a message safe to show, and a status. Upstream (Anam) failures are 5xx: the visitor
 * did nothing wrong. Framework-free, so every adapter (Fastify, web handler, Worker) answers alike.
 */
export const TOKEN_ERRORS = {
  INVALID_REQUEST: { status: 400, message: 'Invalid request.' },
  UNKNOWN_PERSONA: { status: 400, message: 'No persona preset is named "%s".' },
  UNAUTHORIZED: { status: 401, message: 'Sign in to talk to this persona.' },
  ORIGIN_NOT_ALLOWED: { status: 403, message: 'This site is not allowed to start a session.' },
  NOT_FOUND: { status: 404, message: 'Not found.' },
  METHOD_NOT_ALLOWED: { status: 405, message: 'Use POST to ask for a session token.' },
  BODY_TOO_LARGE: { status: 413, message: 'The request body is too large.' },
  UNSUPPORTED_MEDIA_TYPE: { status: 415, message: 'Send JSON (content-type: application/json, UTF-8).' },
  RATE_LIMITED: { status: 429, message: 'Too many sessions started; try again shortly.' },
  ANAM_AUTH_FAILED: { status: 502, message: 'The persona service is not set up correctly.' },
  ANAM_PERSONA_NOT_FOUND: { status: 502, message: 'The persona is not available.' },
  ANAM_PERSONA_INVALID: { status: 502, message: 'The persona is not set up correctly.' },
  ANAM_REQUEST_REFUSED: { status: 502, message: 'The persona service refused the request.' },
  ANAM_UNAVAILABLE: { status: 502, message: 'The persona service is unavailable.' },
  ANAM_RATE_LIMITED: { status: 503, message: 'The persona service is busy; try again shortly.' },
  TOKEN_BUDGET_EXHAUSTED: { status: 503, message: 'All assistants are busy right now; try again later.' },
  RATE_LIMIT_UNAVAILABLE: { status: 503, message: 'Sessions cannot be started right now; try again shortly.' },
  ANAM_TIMEOUT: { status: 504, message: 'The persona service did not answer in time.' },
  INTERNAL_ERROR: { status: 500, message: 'Something went wrong.' },
} as const satisfies Record<string, { status: number; message: string }>;

export type TokenErrorCode = keyof typeof TOKEN_ERRORS;

/** The longest wait a reply ever asks the browser for: a far-future Retry-After is a mistake, not a plan. */
export const MAX_RETRY_AFTER_SECONDS = 3600;

export class TokenError extends Error {
  readonly status: number;
  /** Seconds the client should wait, sent as Retry-After (always 1 s to an hour). */
  readonly retryAfterSeconds: number | undefined;

  constructor(
    readonly code: TokenErrorCode,
    options: { detail?: string; retryAfterSeconds?: number } = {},
  ) {
    const { status, message } = TOKEN_ERRORS[code];
    super(
      options.detail === undefined
        ? message
        : message.includes('%s')
          ? message.replace('%s', () => options.detail!) // a function: `$&` and the like in the detail stay as typed
          : `Invalid request: ${options.detail}`,
    );
    this.name = 'TokenError';
    this.status = status;
    this.retryAfterSeconds = options.retryAfterSeconds === undefined ? undefined : clampRetryAfter(options.retryAfterSeconds);
  }
}

export function clampRetryAfter(seconds: number): number {
  return Math.min(MAX_RETRY_AFTER_SECONDS, Math.max(1, Math.ceil(seconds)));
}
