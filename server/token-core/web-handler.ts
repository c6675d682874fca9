import { parsePersonaPresets, type PersonaPresets } from '../personas.ts';
import { readTextBounded } from './bounded-read.ts';
import { createTokenCore, type AuthVerdict, type TokenCoreOptions } from './core.ts';
import { isHttpUrl } from './url-checks.ts';
import { MemoryRateLimiter, MemoryTokenBudget, type RateLimiter, type TokenBudget } from './ports.ts';

export const ANAM_API_BASE = 'https://api.anam.ai';
export const DEFAULT_RATE_LIMIT = { max: 10, windowMs: 60_000 };

export interface SessionTokenHandlerOptions extends Omit<
  TokenCoreOptions<Request>,
  'apiBase' | 'personas' | 'rateLimiter' | 'budget' | 'authorize' | 'apiBaseUrlFor'
> {
  /** Default: Anam's API. Any other base (the local engine, a proxy) is also handed to the widget's SDK. */
  apiBase?: string;
  /** Presets in the PERSONAS_FILE format (`{ default, presets }`), or `personaId` for one persona. */
  personas?: PersonaPresets | { default?: string; presets: Record<string, unknown> };
  personaId?: string;
  /** Per address per window, counted in this process or isolate (default 10 a minute); or your own limiter; false: off. */
  rateLimit?: { max: number; windowMs: number } | RateLimiter | false;
  /** The spending cap per clock hour, counted in this process or isolate; or your own shared one. */
  budgetPerHour?: number;
  budget?: TokenBudget;
  /** The address the limit counts. Default: the platform's client-address header (cf-connecting-ip, x-real-ip, x-forwarded-for). */
  clientAddress?: (request: Request) => string;
  authorize?: (request: Request) => AuthVerdict | Promise<AuthVerdict>;
}

/**
 * `createSessionTokenHandler(options)`: the token endpoint as `(Request) => Promise<Response>`, for
 * any platform that speaks fetch (Vercel and Netlify functions, Deno, Bun, Next.js route handlers,
 * Cloudflare Workers). Same logic, limits and coded errors as the Fastify plugin.
 */
export function createSessionTokenHandler(options: SessionTokenHandlerOptions): (request: Request) => Promise<Response> {
  if (typeof options.apiKey !== 'string' || options.apiKey.trim() === '') throw new Error('anam-persona: apiKey is required');
  const apiBase = (options.apiBase ?? ANAM_API_BASE).replace(/\/+$/, '');
  if (!isHttpUrl(apiBase)) throw new Error(`anam-persona: apiBase must be an http(s) URL, got "${apiBase.slice(0, 200)}"`);
  const { rateLimit = DEFAULT_RATE_LIMIT, clientAddress = addressFromHeaders, authorize, ...coreOptions } = options;
  const handle = createTokenCore<Request>({
    ...coreOptions,
    apiBase,
    personas: readPersonas(options),
    rateLimiter: !rateLimit
      ? undefined
      : 'hit' in rateLimit
        ? rateLimit
        : new MemoryRateLimiter(rateLimit.max, rateLimit.windowMs),
    budget: options.budget ?? (options.budgetPerHour ? new MemoryTokenBudget(options.budgetPerHour) : undefined),
    ...(authorize ? { authorize: (request) => authorize(request.native) } : {}),
    ...(apiBase !== ANAM_API_BASE ? { apiBaseUrlFor: () => apiBase } : {}),
  });
  return async (request) => {
    const reply = await handle({
      method: request.method,
      header: (name) => request.headers.get(name) ?? undefined,
      hasBody: request.body !== null,
      readBody: (maxBytes) => readTextBounded(request.body, maxBytes),
      clientAddress: clientAddress(request),
      ownOrigin: originOf(request.url),
      signal: request.signal,
      native: request,
    });
    return new Response(reply.body === '' ? null : reply.body, { status: reply.status, headers: reply.headers });
  };
}

function readPersonas(options: SessionTokenHandlerOptions): PersonaPresets {
  const { personas, personaId } = options;
  if (personas && (personas as PersonaPresets).presets instanceof Map) return personas as PersonaPresets;
  try {
    if (personas) return parsePersonaPresets(personas);
    if (personaId) return parsePersonaPresets({ default: 'default', presets: { default: { personaId } } });
  } catch (error) {
    throw new Error(`anam-persona: personas: ${(error as Error).message}`);
  }
  throw new Error('anam-persona: personas or personaId is required');
}

function addressFromHeaders(request: Request): string {
  const { headers } = request;
  return (
    headers.get('cf-connecting-ip') ??
    headers.get('x-real-ip') ??
    headers.get('x-forwarded-for')?.split(',')[0]?.trim() ??
    'unknown'
  );
}

function originOf(url: string): string | undefined {
  try {
    return new URL(url).origin;
  } catch {
    return undefined;
  }
}
