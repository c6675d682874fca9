import { DEFAULT_DEADLINE_MS } from './core.ts';
import type { RateLimiter } from './ports.ts';
import { isHttpUrl } from './url-checks.ts';
import { ANAM_API_BASE, DEFAULT_RATE_LIMIT, type SessionTokenHandlerOptions } from './web-handler.ts';
import type { RateLimitBinding, WORKER_ENV_VARS, WorkerEnv } from './worker-env.ts';

/** What the binding's period is usually set to; a refused visitor is told to wait this long. */
const BINDING_RETRY_AFTER_SECONDS = 60;

type WorkerVariable = (typeof WORKER_ENV_VARS)[number];

/**
 * The web handler's options from the Worker's vars and secrets. A Worker has no start-up to stop, so a
 * missing or wrong value throws one line per variable, naming it and the fix, for the Worker's log.
 */
export function workerOptions(env: WorkerEnv): SessionTokenHandlerOptions {
  const problems: string[] = [];
  // wrangler.toml may hold a number (RATE_LIMIT_MAX = 10) where the dashboard holds text.
  const text = (name: WorkerVariable) => String(env[name] ?? '').trim();
  const whole = (name: WorkerVariable, fallback: number, min: number, max?: number) => {
    if (text(name) === '') return fallback;
    const value = Number(text(name));
    if (Number.isInteger(value) && value >= min && value <= (max ?? value)) return value;
    const range = max === undefined ? `of at least ${min}` : `from ${min} to ${max}`;
    problems.push(`${name} must be a whole number ${range}, got "${text(name).slice(0, 40)}".`);
    return fallback;
  };

  const apiKey = text('ANAM_API_KEY');
  if (!apiKey) problems.push('ANAM_API_KEY is not set: run `npx wrangler secret put ANAM_API_KEY`.');
  const apiBase = text('ANAM_API_BASE') || ANAM_API_BASE;
  if (!isHttpUrl(apiBase)) problems.push(`ANAM_API_BASE must be an http(s) URL, got "${apiBase.slice(0, 200)}".`);
  let personas: SessionTokenHandlerOptions['personas'];
  try {
    if (text('PERSONAS')) personas = JSON.parse(text('PERSONAS')) as { presets: Record<string, unknown> };
  } catch (error) {
    problems.push(`PERSONAS is not JSON: ${(error as Error).message}.`);
  }
  const personaId = text('ANAM_PERSONA_ID');
  if (!text('PERSONAS') && !personaId) problems.push('Set ANAM_PERSONA_ID (or PERSONAS) in [vars].');
  const rateLimit = env.RATE_LIMITER
    ? bindingLimiter(env.RATE_LIMITER)
    : {
        max: whole('RATE_LIMIT_MAX', DEFAULT_RATE_LIMIT.max, 1),
        windowMs: whole('RATE_LIMIT_WINDOW_MS', DEFAULT_RATE_LIMIT.windowMs, 1000),
      };
  const budgetPerHour = whole('TOKEN_BUDGET_PER_HOUR', 0, 0);
  const attemptTimeoutMs = whole('UPSTREAM_TIMEOUT_MS', 0, 100, DEFAULT_DEADLINE_MS);
  if (problems.length > 0) throw new Error(problems.join(' '));

  return {
    apiKey,
    apiBase,
    ...(personas ? { personas } : { personaId }),
    allowedOrigins: text('ALLOWED_ORIGINS')
      .split(',')
      .map((origin) => origin.trim())
      .filter(Boolean),
    publicOrigin: text('PUBLIC_ORIGIN').replace(/\/+$/, '') || undefined,
    allowClientPersonaConfig: /^(1|true|on|yes)$/i.test(text('ALLOW_CLIENT_PERSONA_CONFIG')),
    rateLimit,
    ...(budgetPerHour > 0 ? { budgetPerHour } : {}),
    ...(attemptTimeoutMs > 0 ? { attemptTimeoutMs } : {}),
    clientAddress: (request) => request.headers.get('cf-connecting-ip') ?? 'unknown',
  };
}

function bindingLimiter(binding: RateLimitBinding): RateLimiter {
  return {
    hit: async (key) => ({ allowed: (await binding.limit({ key })).success, retryAfterSeconds: BINDING_RETRY_AFTER_SECONDS }),
  };
}
