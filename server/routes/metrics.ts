import { timingSafeEqual } from 'node:crypto';
import type { FastifyInstance } from 'fastify';
import { UnauthorizedError } from '../errors.ts';
import type { Metrics } from '../metrics.ts';

/** GET /metrics in Prometheus text format, behind a bearer token when one is configured. */
export async function metricsRoute(
  app: FastifyInstance,
  options: { metrics: Metrics; token: string | undefined },
): Promise<void> {
  app.get('/metrics', async (request, reply) => {
    if (options.token && !sameSecret(request.headers.authorization ?? '', `Bearer ${options.token}`)) {
      throw new UnauthorizedError();
    }
    reply.header('cache-control', 'no-store').type('text/plain; version=0.0.4');
    return options.metrics.render();
  });
}

function sameSecret(given: string, expected: string): boolean {
  const a = Buffer.from(given);
  const b = Buffer.from(expected);
  return a.length === b.length && timingSafeEqual(a, b);
}
