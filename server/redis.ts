import type { FastifyBaseLogger } from 'fastify';
import { Redis } from 'ioredis';

/**
 * The project's one Redis client: every user of Redis (the shared rate limit, and anything else
 * that counts across instances) takes this client so a slow or frozen Redis costs each request at
 * most `commandMs`, never a hung request.
 */
export const REDIS_TIMEOUTS = {
  /** A command that has no answer by then fails (a frozen Redis keeps the socket open, silently). */
  commandMs: 500,
  /** A connection attempt that has not completed by then is given up and retried. */
  connectMs: 2000,
  /** How long the start-up waits for Redis before serving with whatever the connection does next. */
  startupWaitMs: 5000,
  /** Longest pause between reconnection attempts. */
  maxReconnectDelayMs: 2000,
  /** How long readiness waits for a PING. */
  pingMs: 500,
} as const;

/** Connects before any request is served, so the first requests count too. */
export async function connectRedis(url: string, log: FastifyBaseLogger): Promise<Redis> {
  const redis = new Redis(url, {
    commandTimeout: REDIS_TIMEOUTS.commandMs,
    connectTimeout: REDIS_TIMEOUTS.connectMs,
    // No queue and no retry of a command: while Redis is away, a command fails now, not later.
    enableOfflineQueue: false,
    maxRetriesPerRequest: 0,
    retryStrategy: (attempt: number) => Math.min(attempt * 200, REDIS_TIMEOUTS.maxReconnectDelayMs),
  });
  redis.on('error', (error: Error) => log.warn({ reason: error.message }, 'Redis error'));
  const ready = new Promise<boolean>((resolve) => redis.once('ready', () => resolve(true)));
  const timedOut = new Promise<boolean>((resolve) => setTimeout(() => resolve(false), REDIS_TIMEOUTS.startupWaitMs).unref());
  if (!(await Promise.race([ready, timedOut]))) log.error('Redis is not reachable yet at start-up');
  return redis;
}

/** Whether Redis answers a PING in time (readiness). */
export async function redisAnswers(redis: Redis): Promise<boolean> {
  if (redis.status !== 'ready') return false;
  const timedOut = new Promise<boolean>((resolve) => setTimeout(() => resolve(false), REDIS_TIMEOUTS.pingMs).unref());
  return Promise.race([
    redis.ping().then(
      (pong) => pong === 'PONG',
      () => false,
    ),
    timedOut,
  ]);
}
