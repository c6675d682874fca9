import type { FastifyInstance } from 'fastify';

/** How long a readiness answer about the upstream is reused, so probes do not hammer it (a Redis PING is cheap: asked each time). */
export const READINESS_CACHE_MS = 5000;

export interface HealthRouteOptions {
  /** Whether the upstream answers at all (any HTTP status counts: it is reachable). */
  checkUpstream: () => Promise<boolean>;
  /** Whether Redis answers; absent when the server runs without Redis. */
  checkRedis?: () => Promise<boolean>;
  /** Whether a Redis outage makes this instance unable to serve (REDIS_FAILURE_MODE=closed). */
  redisRequired: boolean;
}

/** GET /healthz (the process is up) and GET /readyz (upstream reachable; Redis, when there is one). */
export async function healthRoutes(app: FastifyInstance, options: HealthRouteOptions): Promise<void> {
  const { checkUpstream, checkRedis, redisRequired } = options;
  let cached: { at: number; upstream: boolean } | undefined;

  app.get('/healthz', async (_request, reply) => {
    reply.header('cache-control', 'no-store');
    return { status: 'ok' };
  });

  app.get('/readyz', async (_request, reply) => {
    reply.header('cache-control', 'no-store');
    const redisAnswers = checkRedis?.().catch(() => false);
    if (!cached || Date.now() - cached.at > READINESS_CACHE_MS) {
      cached = { at: Date.now(), upstream: await checkUpstream().catch(() => false) };
    }
    const redisUp = await redisAnswers;
    const redis = redisUp === undefined ? {} : { redis: redisUp ? 'reachable' : 'unreachable' };
    if (!cached.upstream) {
      return reply.code(503).send({ error: 'The Anam API is not reachable.', code: 'UPSTREAM_UNREACHABLE', ...redis });
    }
    if (redisUp === false && redisRequired) {
      return reply.code(503).send({ error: 'Redis is not reachable.', code: 'REDIS_UNREACHABLE', ...redis });
    }
    return { status: 'ready', upstream: 'reachable', ...redis };
  });
}
