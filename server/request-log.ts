import { LogController, type FastifyReply, type FastifyRequest, type FastifyServerOptions } from 'fastify';
import pino from 'pino';

/**
 * Log lines are gathered and written to stdout in batches — when this many bytes wait, or every
 * LOG_FLUSH_MS — instead of one write(2) per line; pino writes what is left when the process exits.
 */
export const LOG_BATCH_BYTES = 4096;
export const LOG_FLUSH_MS = 100;

/**
 * The request headers a log line may show: enough to trace a visitor (origin, agent, proxies).
 * Anything else — credentials, cookies, API keys under any name — never reaches a log.
 */
export const LOGGED_REQUEST_HEADERS = [
  'host',
  'origin',
  'referer',
  'user-agent',
  'content-type',
  'content-length',
  'x-forwarded-for',
  'x-forwarded-proto',
  'x-forwarded-host',
  'x-request-id',
] as const;

/**
 * Paths of data that never reach a log line. A request's headers need none: the `req` serializer
 * copies only LOGGED_REQUEST_HEADERS, so `req.headers.authorization` cannot occur — and a redacted
 * path under `req` would make pino copy and mask every request line, on every token, for nothing.
 */
export const REDACTED_LOG_PATHS = ['headers.authorization', 'apiKey', 'anamApiKey', 'sessionToken'];

/** Characters of a header value a log line shows: enough for any real agent or URL, not a client's essay. */
export const LOGGED_HEADER_CHARACTERS = 256;

function loggedHeaders(headers: FastifyRequest['headers']): Record<string, unknown> {
  const shown: Record<string, unknown> = {};
  for (const name of LOGGED_REQUEST_HEADERS) {
    const value = headers[name];
    if (value === undefined) continue;
    const text = Array.isArray(value) ? value.join(', ') : value;
    shown[name] = text.length > LOGGED_HEADER_CHARACTERS ? `${text.slice(0, LOGGED_HEADER_CHARACTERS)}…` : text;
  }
  return shown;
}

/**
 * One line per request, written when it is answered: the request (allowlisted headers), status and
 * time together. Fastify's default writes two (incoming, completed): twice the logging work per token
 * for nothing the single line does not say.
 */
class OneLinePerRequest extends LogController {
  override incomingRequest(): void {}

  override requestCompleted(error: Error | null | undefined, request: FastifyRequest, reply: FastifyReply): void {
    if (error) reply.log.error({ req: request, res: reply, err: error, responseTime: reply.elapsedTime }, 'request errored');
    else reply.log.info({ req: request, res: reply, responseTime: reply.elapsedTime }, 'request completed');
  }
}

/** The pino options and log controller of the server: redaction, the header allowlist, one line per request. */
export function requestLogging(
  level: string,
  overrides: object | undefined,
): Pick<FastifyServerOptions, 'logger' | 'logController'> {
  return {
    logger: {
      level,
      redact: { paths: REDACTED_LOG_PATHS, censor: '[redacted]' },
      serializers: {
        req: (request: FastifyRequest) => ({
          method: request.method,
          url: request.url,
          remoteAddress: request.ip,
          headers: loggedHeaders(request.headers),
        }),
      },
      ...(overrides && 'stream' in overrides
        ? {}
        : { stream: pino.destination({ dest: 1, sync: false, minLength: LOG_BATCH_BYTES, periodicFlush: LOG_FLUSH_MS }) }),
      ...overrides,
    },
    logController: new OneLinePerRequest(),
  };
}
