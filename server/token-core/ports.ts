/** The small interfaces the token core is given, so each platform plugs in its own pieces. */

/** A pino-compatible subset: `(fields, message)`. */
export interface TokenLogger {
  info(fields: object, message: string): void;
  warn(fields: object, message: string): void;
  error(fields: object, message: string): void;
}

export interface LimitVerdict {
  allowed: boolean;
  /** When refused: seconds until the client may try again. */
  retryAfterSeconds: number;
}

/** Per-visitor limit: one hit per token request, keyed by user id or address. May throw when its store is down. */
export interface RateLimiter {
  hit(key: string): Promise<LimitVerdict> | LimitVerdict;
}

/** A unit of the spending cap, taken for one token. */
export interface BudgetVerdict extends LimitVerdict {
  /** The clock hour it counts in. */
  window: number;
  /** Returns the unit when no token came of it (Anam failed, the visitor left): the cap counts tokens, not attempts. */
  giveBack?(): void;
}

/** The global spending cap: one unit per token minted, across every visitor. May throw when its store is down. */
export interface TokenBudget {
  /** Takes one unit; refused (with the time until the window ends) once the window's units are spent. */
  take(): Promise<BudgetVerdict> | BudgetVerdict;
}

/** Counters the core reports to; every method optional. */
export interface TokenMetrics {
  tokenMinted?(): void;
  requestRateLimited?(): void;
  budgetExhausted?(): void;
  upstreamAttempt?(outcome: { status: number | string; durationMs: number }): void;
}

/** A logger for platforms without pino: one line per event, fields as JSON. */
export const consoleLogger: TokenLogger = {
  info: (fields, message) => console.info(`anam-persona: ${message}`, JSON.stringify(fields)),
  warn: (fields, message) => console.warn(`anam-persona: ${message}`, JSON.stringify(fields)),
  error: (fields, message) => console.error(`anam-persona: ${message}`, JSON.stringify(fields)),
};

/** How many keys the in-memory limiter holds before it sweeps out expired windows. */
const SWEEP_AT_KEYS = 10_000;

/** A fixed-window limit in this process (or Worker isolate) only. */
export class MemoryRateLimiter implements RateLimiter {
  private readonly windows = new Map<string, { count: number; resetAt: number }>();

  constructor(
    private readonly max: number,
    private readonly windowMs: number,
    private readonly now: () => number = Date.now,
  ) {}

  hit(key: string): LimitVerdict {
    const now = this.now();
    let window = this.windows.get(key);
    if (!window || window.resetAt <= now) {
      if (this.windows.size >= SWEEP_AT_KEYS) this.sweep(now);
      window = { count: 0, resetAt: now + this.windowMs };
      this.windows.set(key, window);
    }
    window.count++;
    return { allowed: window.count <= this.max, retryAfterSeconds: Math.ceil((window.resetAt - now) / 1000) };
  }

  private sweep(now: number): void {
    for (const [key, window] of this.windows) if (window.resetAt <= now) this.windows.delete(key);
  }
}

export const BUDGET_WINDOW_MS = 3_600_000;

/** The spending cap counted in this process (or Worker isolate) only: clock-hour windows. */
export class MemoryTokenBudget implements TokenBudget {
  private window = -1;
  private spent = 0;

  constructor(
    private readonly perHour: number,
    private readonly now: () => number = Date.now,
  ) {}

  take(): BudgetVerdict {
    const now = this.now();
    const window = Math.floor(now / BUDGET_WINDOW_MS);
    if (window !== this.window) {
      this.window = window;
      this.spent = 0;
    }
    this.spent++;
    return {
      allowed: this.spent <= this.perHour,
      retryAfterSeconds: secondsToWindowEnd(now),
      window,
      giveBack: () => {
        if (this.window === window && this.spent > 0) this.spent--;
      },
    };
  }
}

export function secondsToWindowEnd(now: number): number {
  return Math.max(1, Math.ceil((BUDGET_WINDOW_MS - (now % BUDGET_WINDOW_MS)) / 1000));
}
