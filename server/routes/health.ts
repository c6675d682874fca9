import type { FastifyInstance } from 'fastify';

/** How long a readiness answer about the upstream is reused, so probes do not hammer it. */
export const READINESS_CACHE_MS = 5000;

export interface HealthRouteOptions {
  /** Whether the upstream answers at all (any HTTP status counts: it is reachable). */
  checkUpstream: () => Promise<boolean>;
}

/** GET /healthz (the process is up) and GET /readyz (config valid, upstream reachable). */
export async function healthRoutes(app: FastifyInstance, { checkUpstream }: HealthRouteOptions): Promise<void> {
  let cached: { at: number; ok: boolean } | undefined;

  app.get('/healthz', async (_request, reply) => {
    reply.header('cache-control', 'no-store');
    return { status: 'ok' };
  });

  app.get('/readyz', async (_request, reply) => {
    reply.header('cache-control', 'no-store');
    if (!cached || Date.now() - cached.at > READINESS_CACHE_MS) {
      cached = { at: Date.now(), ok: await checkUpstream().catch(() => false) };
    }
    return cached.ok
      ? { status: 'ready', upstream: 'reachable' }
      : reply.code(503).send({ error: 'The Anam API is not reachable.', code: 'UPSTREAM_UNREACHABLE' });
  });
}
