import type { FastifyBaseLogger } from 'fastify';
import type { Redis } from 'ioredis';
import { TokenError } from '../token-core/errors.ts';
import {
  BUDGET_WINDOW_MS,
  MemoryRateLimiter,
  MemoryTokenBudget,
  secondsToWindowEnd,
  type BudgetVerdict,
  type LimitVerdict,
  type RateLimiter,
  type TokenBudget,
} from '../token-core/ports.ts';

/** What the server does while Redis (the shared rate-limit store) does not answer. */
export type RedisFailureMode = 'open' | 'closed';

/** After a failed command, how long requests skip Redis before one tries it again. */
export const REDIS_RETRY_AFTER_MS = 2000;

/** Counts one hit and starts the window on the first: [count, milliseconds left]. */
const FIXED_WINDOW_HIT = `
local count = redis.call('INCR', KEYS[1])
if count == 1 then redis.call('PEXPIRE', KEYS[1], ARGV[1]) end
return { count, redis.call('PTTL', KEYS[1]) }`;

/** Takes one count back while its window lasts (a key gone with its window stays gone, not -1 forever). */
const GIVE_BACK = `
if tonumber(redis.call('GET', KEYS[1]) or '0') > 0 then return redis.call('DECR', KEYS[1]) end
return 0`;

type WithHit = Redis & {
  anamPersonaHit(key: string, windowMs: number): Promise<[number, number]>;
  anamPersonaGiveBack(key: string): Promise<number>;
};

function withHitCommand(redis: Redis): WithHit {
  const extended = redis as WithHit;
  if (typeof extended.anamPersonaHit !== 'function') {
    redis.defineCommand('anamPersonaHit', { numberOfKeys: 1, lua: FIXED_WINDOW_HIT });
    redis.defineCommand('anamPersonaGiveBack', { numberOfKeys: 1, lua: GIVE_BACK });
  }
  return extended;
}

/** Whether Redis is answering, shared by the limit and the cap so an outage is logged once. */
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
 * Counts in Redis; while Redis fails, counts in this process (open) or refuses (closed). Never
 * waits on a dead Redis longer than one command timeout, and then not again for a while.
 */
async function withFailover<T>(
  health: RedisHealth,
  mode: RedisFailureMode,
  shared: () => Promise<T>,
  local: () => T,
): Promise<T> {
  if (!health.skipRedis) {
    try {
      const result = await shared();
      health.answered();
      return result;
    } catch (error) {
      health.failed(error as Error);
    }
  }
  if (mode === 'closed') throw new TokenError('RATE_LIMIT_UNAVAILABLE', { retryAfterSeconds: REDIS_RETRY_AFTER_MS / 1000 });
  return local();
}

export interface RedisLimitsOptions {
  redis: Redis;
  mode: RedisFailureMode;
  log: FastifyBaseLogger;
  rateLimit: { max: number; windowMs: number } | false;
  budgetPerHour: number | undefined;
}

/** The per-visitor limit and the spending cap, shared by every instance that uses the same Redis. */
export function createRedisLimits(options: RedisLimitsOptions): { rateLimiter?: RateLimiter; budget?: TokenBudget } {
  const { mode, rateLimit, budgetPerHour } = options;
  const redis = withHitCommand(options.redis);
  const health = new RedisHealth(mode, options.log);
  const limits: { rateLimiter?: RateLimiter; budget?: TokenBudget } = {};
  if (rateLimit) {
    const local = new MemoryRateLimiter(rateLimit.max, rateLimit.windowMs);
    limits.rateLimiter = {
      hit: (key) =>
        withFailover<LimitVerdict>(
          health,
          mode,
          async () => {
            const [count, leftMs] = await redis.anamPersonaHit(`anam-persona-rl:${key}`, rateLimit.windowMs);
            return { allowed: count <= rateLimit.max, retryAfterSeconds: Math.max(1, Math.ceil(leftMs / 1000)) };
          },
          () => local.hit(key),
        ),
    };
  }
  if (budgetPerHour) {
    const local = new MemoryTokenBudget(budgetPerHour);
    limits.budget = {
      take: () =>
        withFailover<BudgetVerdict>(
          health,
          mode,
          async () => {
            const now = Date.now();
            const window = Math.floor(now / BUDGET_WINDOW_MS);
            const key = `anam-persona-budget:${window}`;
            const [count] = await redis.anamPersonaHit(key, BUDGET_WINDOW_MS);
            return {
              allowed: count <= budgetPerHour,
              retryAfterSeconds: secondsToWindowEnd(now),
              window,
              // Not waited for, and a failure only leaves the unit spent: the visitor's answer does not hang on it.
              giveBack: () => void redis.anamPersonaGiveBack(key).catch(() => undefined),
            };
          },
          () => local.take(),
        ),
    };
  }
  return limits;
}
