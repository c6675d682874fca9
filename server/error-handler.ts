import type { FastifyError } from 'fastify';

export interface ErrorReply {
  status: number;
  body: { error: string; code: string };
  retryAfterSeconds?: number;
}

/** Fastify's own error codes, as the stable codes the widget knows. */
const FASTIFY_CODES: Record<string, { status: number; code: string; message: string }> = {
  FST_ERR_CTP_INVALID_MEDIA_TYPE: {
    status: 415,
    code: 'UNSUPPORTED_MEDIA_TYPE',
    message: 'Send JSON (content-type: application/json).',
  },
  FST_ERR_CTP_BODY_TOO_LARGE: { status: 413, code: 'BODY_TOO_LARGE', message: 'The request body is too large.' },
  FST_ERR_CTP_EMPTY_JSON_BODY: { status: 400, code: 'INVALID_REQUEST', message: 'Invalid request: the JSON body is empty.' },
  FST_ERR_CTP_INVALID_JSON_BODY: {
    status: 400,
    code: 'INVALID_REQUEST',
    message: 'Invalid request: the body is not valid JSON.',
  },
};

/**
 * Turns any error into the `{ error, code }` reply: coded errors keep their message, validation
 * errors say what was wrong, and a 5xx never echoes internals.
 */
export function toErrorReply(error: FastifyError & { retryAfterSeconds?: number }): ErrorReply {
  const known = error.code ? FASTIFY_CODES[error.code] : undefined;
  if (known) return { status: known.status, body: { error: known.message, code: known.code } };
  if (error.validation) {
    return { status: 400, body: { error: `Invalid request: ${error.message}`, code: 'INVALID_REQUEST' } };
  }
  const status = error.statusCode ?? 500;
  const coded = typeof error.code === 'string' && !error.code.startsWith('FST_') && !error.code.startsWith('ERR_');
  if (status >= 500 && !coded) return { status: 500, body: { error: 'Something went wrong.', code: 'INTERNAL_ERROR' } };
  if (!coded)
    return {
      status,
      body: {
        error: status < 500 ? error.message : 'Something went wrong.',
        code: status === 404 ? 'NOT_FOUND' : 'INVALID_REQUEST',
      },
    };
  return {
    status,
    body: { error: error.message, code: error.code },
    ...(error.retryAfterSeconds !== undefined ? { retryAfterSeconds: error.retryAfterSeconds } : {}),
  };
}
