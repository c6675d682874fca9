import type { RateLimiter } from './ports.ts';
import { settingReaders, SHARED_RANGES } from './setting-values.ts';
import { isHttpUrl } from './url-checks.ts';
import { ANAM_API_BASE, type SessionTokenHandlerOptions } from './web-handler.ts';
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
  const text = (name: WorkerVariable) => String(env[name] ?? '').trim();
  const setting = settingReaders<WorkerVariable>(
    (name) => env[name],
    (line) => problems.push(line),
  );

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
        max: setting.wholeNumber('RATE_LIMIT_MAX', SHARED_RANGES.RATE_LIMIT_MAX),
        windowMs: setting.wholeNumber('RATE_LIMIT_WINDOW_MS', SHARED_RANGES.RATE_LIMIT_WINDOW_MS),
      };
  const budgetPerHour = setting.wholeNumber('TOKEN_BUDGET_PER_HOUR', SHARED_RANGES.TOKEN_BUDGET_PER_HOUR);
  const attemptTimeoutMs = setting.wholeNumber('UPSTREAM_TIMEOUT_MS', SHARED_RANGES.UPSTREAM_TIMEOUT_MS);
  const allowClientPersonaConfig = setting.onOff('ALLOW_CLIENT_PERSONA_CONFIG', false);
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
    allowClientPersonaConfig,
    rateLimit,
    ...(budgetPerHour > 0 ? { budgetPerHour } : {}),
    attemptTimeoutMs,
    clientAddress: (request) => request.headers.get('cf-connecting-ip') ?? 'unknown',
  };
}

function bindingLimiter(binding: RateLimitBinding): RateLimiter {
  return {
    hit: async (key) => ({ allowed: (await binding.limit({ key })).success, retryAfterSeconds: BINDING_RETRY_AFTER_SECONDS }),
  };
}
