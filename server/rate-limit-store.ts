import { createRequire } from 'node:module';
import type { FastifyBaseLogger } from 'fastify';
import type {
  FastifyRateLimitOptions,
  FastifyRateLimitStore,
  FastifyRateLimitStoreCtor,
  RateLimitPluginOptions,
} from '@fastify/rate-limit';
import type { Redis } from 'ioredis';
import { RateLimitUnavailableError } from './errors.ts';

/** What the server does while Redis (the shared rate-limit store) does not answer. */
export type RedisFailureMode = 'open' | 'closed';

/** After a failed command, how long requests skip Redis before one tries it again. */
export const REDIS_RETRY_AFTER_MS = 2000;

const NAMESPACE = 'anam-persona-rl:';

type StoreResult = { current: number; ttl: number };
type StoreCallback = (error: Error | null, result?: StoreResult) => void;
type RouteOptions = Parameters<FastifyRateLimitStore['child']>[0];

// The plugin's own stores, so counting stays exactly as @fastify/rate-limit does it.
const require = createRequire(import.meta.url);
const RedisStore = require('@fastify/rate-limit/store/RedisStore.js') as new (
  continueExceeding: boolean,
  exponentialBackoff: boolean,
  redis: Redis,
  key: string,
) => FastifyRateLimitStore;
const LocalStore = require('@fastify/rate-limit/store/LocalStore.js') as new (
  continueExceeding: boolean,
  exponentialBackoff: boolean,
) => FastifyRateLimitStore;

/** Whether Redis is answering, shared by every route's store so an outage is logged once. */
class RedisHealth {
  private downUntil = 0;
  private down = false;

  constructor(
    private readonly mode: RedisFailureMode,
    private readonly log: FastifyBaseLogger,
  ) {}

  get skipRedis(): boolean {
    return Date.now() < this.downUntil;
  }

  failed(error: Error): void {
    this.downUntil = Date.now() + REDIS_RETRY_AFTER_MS;
    if (this.down) return;
    this.down = true;
    this.log.error(
      { reason: error.message, redisFailureMode: this.mode },
      this.mode === 'open'
        ? 'REDIS IS DOWN: rate limits are now counted by this instance alone (REDIS_FAILURE_MODE=open)'
        : 'REDIS IS DOWN: token requests are refused with 503 until it is back (REDIS_FAILURE_MODE=closed)',
    );
  }

  answered(): void {
    if (!this.down) return;
    this.down = false;
    this.log.warn('Redis is back: rate limits are shared between instances again');
  }
}

/**
 * Counts in Redis; while Redis fails, either counts in this process (open) or refuses (closed).
 * Never waits on a dead Redis for more than one command timeout, and then not again for a while.
 */
class FailoverStore implements FastifyRateLimitStore {
  constructor(
    private readonly shared: FastifyRateLimitStore,
    private readonly local: FastifyRateLimitStore,
    private readonly health: RedisHealth,
    private readonly mode: RedisFailureMode,
  ) {}

  incr(key: string, callback: StoreCallback, timeWindow: number, max: number): void {
    if (this.health.skipRedis) return this.withoutRedis(key, callback, timeWindow, max);
    this.shared.incr(
      key,
      (error, result) => {
        if (!error) {
          this.health.answered();
          return callback(null, result);
        }
        this.health.failed(error);
        this.withoutRedis(key, callback, timeWindow, max);
      },
      timeWindow,
      max,
    );
  }

  child(routeOptions: RouteOptions): FastifyRateLimitStore {
    return new FailoverStore(this.shared.child(routeOptions), this.local.child(routeOptions), this.health, this.mode);
  }

  private withoutRedis(key: string, callback: StoreCallback, timeWindow: number, max: number): void {
    if (this.mode === 'closed') return callback(new RateLimitUnavailableError());
    this.local.incr(key, callback, timeWindow, max);
  }
}

/** The rate-limit plugin's store options: Redis shared between instances when there is one. */
export function rateLimitStoreOptions(
  redis: Redis | undefined,
  mode: RedisFailureMode,
  log: FastifyBaseLogger,
): Partial<RateLimitPluginOptions> {
  if (!redis) return {};
  const client = redis;
  const health = new RedisHealth(mode, log);
  // The plugin calls `new store(options)`; a constructor function may hand back any object.
  function store(options: FastifyRateLimitOptions): FastifyRateLimitStore {
    const { continueExceeding = false, exponentialBackoff = false } = options as {
      continueExceeding?: boolean;
      exponentialBackoff?: boolean;
    };
    return new FailoverStore(
      new RedisStore(continueExceeding, exponentialBackoff, client, NAMESPACE),
      new LocalStore(continueExceeding, exponentialBackoff),
      health,
      mode,
    );
  }
  return { store: store as unknown as FastifyRateLimitStoreCtor };
}
