import createError from '@fastify/error';

/**
 * Every error the token server answers with, in one place: a stable code the widget translates,
 * a message safe to show, and a status. Upstream (Anam) failures are 5xx: the visitor did nothing wrong.
 */
export const InvalidRequestError = createError<'INVALID_REQUEST', 400, [string]>('INVALID_REQUEST', 'Invalid request: %s', 400);
export const UnknownPersonaError = createError<'UNKNOWN_PERSONA', 400, [string]>(
  'UNKNOWN_PERSONA',
  'No persona preset is named "%s".',
  400,
);
export const UnauthorizedError = createError<'UNAUTHORIZED', 401, [string?]>(
  'UNAUTHORIZED',
  'Sign in to talk to this persona.',
  401,
);
export const OriginNotAllowedError = createError<'ORIGIN_NOT_ALLOWED', 403, []>(
  'ORIGIN_NOT_ALLOWED',
  'This site is not allowed to start a session.',
  403,
);
export const NotFoundError = createError<'NOT_FOUND', 404, []>('NOT_FOUND', 'Not found.', 404);
export const RateLimitedError = createError<'RATE_LIMITED', 429, []>(
  'RATE_LIMITED',
  'Too many sessions started; try again shortly.',
  429,
);
/** Redis, which keeps the shared rate limit, does not answer and REDIS_FAILURE_MODE=closed. */
export const RateLimitUnavailableError = createError<'RATE_LIMIT_UNAVAILABLE', 503, []>(
  'RATE_LIMIT_UNAVAILABLE',
  'Sessions cannot be started right now; try again shortly.',
  503,
);

export const AnamAuthFailedError = createError<'ANAM_AUTH_FAILED', 502, []>(
  'ANAM_AUTH_FAILED',
  'The persona service is not set up correctly.',
  502,
);
export const AnamPersonaNotFoundError = createError<'ANAM_PERSONA_NOT_FOUND', 502, []>(
  'ANAM_PERSONA_NOT_FOUND',
  'The persona is not available.',
  502,
);
export const AnamPersonaInvalidError = createError<'ANAM_PERSONA_INVALID', 502, []>(
  'ANAM_PERSONA_INVALID',
  'The persona is not set up correctly.',
  502,
);
export const AnamRateLimitedError = createError<'ANAM_RATE_LIMITED', 503, []>(
  'ANAM_RATE_LIMITED',
  'The persona service is busy; try again shortly.',
  503,
);
export const AnamUnavailableError = createError<'ANAM_UNAVAILABLE', 502, []>(
  'ANAM_UNAVAILABLE',
  'The persona service is unavailable.',
  502,
);
export const AnamTimeoutError = createError<'ANAM_TIMEOUT', 504, []>(
  'ANAM_TIMEOUT',
  'The persona service did not answer in time.',
  504,
);

/** A coded error may carry a Retry-After (seconds) for the reply. */
export interface RetryAfter {
  retryAfterSeconds?: number;
}

export const ERROR_RESPONSE_SCHEMA = {
  type: 'object',
  properties: { error: { type: 'string' }, code: { type: 'string' } },
  required: ['error', 'code'],
} as const;
