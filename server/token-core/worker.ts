import { createSessionTokenHandler, ANAM_API_BASE } from './web-handler.ts';
import type { RateLimiter } from './ports.ts';
import type { RateLimitBinding, WorkerEnv } from './worker-env.ts';

// Not exported: a Worker module's every named export must be an entrypoint.
const TOKEN_PATH = '/api/session-token';
/** What the binding's period is usually set to; a refused visitor is told to wait this long. */
const BINDING_RETRY_AFTER_SECONDS = 60;

const handlers = new WeakMap<object, (request: Request) => Promise<Response>>();

function handlerFor(env: WorkerEnv): (request: Request) => Promise<Response> {
  let handler = handlers.get(env);
  if (!handler) {
    handler = createSessionTokenHandler({
      apiKey: env.ANAM_API_KEY ?? '',
      apiBase: env.ANAM_API_BASE?.trim() || ANAM_API_BASE,
      ...(env.PERSONAS ? { personas: JSON.parse(env.PERSONAS) as { presets: Record<string, unknown> } } : {}),
      ...(env.ANAM_PERSONA_ID ? { personaId: env.ANAM_PERSONA_ID.trim() } : {}),
      allowedOrigins: (env.ALLOWED_ORIGINS ?? '')
        .split(',')
        .map((origin) => origin.trim())
        .filter(Boolean),
      publicOrigin: env.PUBLIC_ORIGIN?.trim() || undefined,
      allowClientPersonaConfig: /^(1|true|on|yes)$/i.test(env.ALLOW_CLIENT_PERSONA_CONFIG ?? ''),
      rateLimit: env.RATE_LIMITER
        ? bindingLimiter(env.RATE_LIMITER)
        : { max: Number(env.RATE_LIMIT_MAX ?? 10), windowMs: Number(env.RATE_LIMIT_WINDOW_MS ?? 60_000) },
      ...(Number(env.TOKEN_BUDGET_PER_HOUR) > 0 ? { budgetPerHour: Number(env.TOKEN_BUDGET_PER_HOUR) } : {}),
      ...(Number(env.UPSTREAM_TIMEOUT_MS) > 0 ? { attemptTimeoutMs: Number(env.UPSTREAM_TIMEOUT_MS) } : {}),
      clientAddress: (request) => request.headers.get('cf-connecting-ip') ?? 'unknown',
    });
    handlers.set(env, handler);
  }
  return handler;
}

function bindingLimiter(binding: RateLimitBinding): RateLimiter {
  return {
    hit: async (key) => ({ allowed: (await binding.limit({ key })).success, retryAfterSeconds: BINDING_RETRY_AFTER_SECONDS }),
  };
}

/** The token endpoint as a Cloudflare Worker: POST /api/session-token, configured from its environment. */
export default {
  async fetch(request: Request, env: WorkerEnv): Promise<Response> {
    if (new URL(request.url).pathname !== TOKEN_PATH) {
      return Response.json({ error: 'Not found.', code: 'NOT_FOUND' }, { status: 404 });
    }
    let handler: (request: Request) => Promise<Response>;
    try {
      handler = handlerFor(env);
    } catch (error) {
      console.error(`anam-persona: the Worker is not configured: ${(error as Error).message}`);
      return Response.json({ error: 'Something went wrong.', code: 'INTERNAL_ERROR' }, { status: 500 });
    }
    return handler(request);
  },
};
