/**
 * Every variable the Worker reads (vars and secrets from wrangler.toml / `wrangler secret put`). Kept
 * apart from worker.ts, whose every named export Cloudflare takes for an entrypoint. The README's
 * table marks exactly these as read by the Worker (readme-env.test.ts).
 */
export const WORKER_ENV_VARS = [
  'ANAM_API_KEY',
  'ANAM_API_BASE',
  'ANAM_PERSONA_ID',
  // Presets as JSON, in the PERSONAS_FILE format.
  'PERSONAS',
  'ALLOWED_ORIGINS',
  'PUBLIC_ORIGIN',
  'ALLOW_CLIENT_PERSONA_CONFIG',
  // Counted per isolate when there is no RATE_LIMITER binding.
  'RATE_LIMIT_MAX',
  'RATE_LIMIT_WINDOW_MS',
  // Counted per isolate: each of Cloudflare's isolates has its own budget.
  'TOKEN_BUDGET_PER_HOUR',
  'UPSTREAM_TIMEOUT_MS',
] as const;

/** Cloudflare's rate-limiting binding (`[[ratelimits]]` in wrangler.toml). */
export interface RateLimitBinding {
  limit(options: { key: string }): Promise<{ success: boolean }>;
}

/** Bindings are objects, not text: documented with the Worker's recipe, not in the variables' table. */
export const WORKER_BINDINGS = ['RATE_LIMITER'] as const;

export type WorkerEnv = Partial<Record<(typeof WORKER_ENV_VARS)[number], string>> & {
  RATE_LIMITER?: RateLimitBinding;
};
