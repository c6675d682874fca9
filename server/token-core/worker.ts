import { corsHeaders, PREFLIGHT_HEADERS } from './origin-policy.ts';
import { createSessionTokenHandler } from './web-handler.ts';
import type { WorkerEnv } from './worker-env.ts';
import { workerOptions } from './worker-options.ts';

// Not exported: a Worker module's every named export must be an entrypoint.
const TOKEN_PATH = '/api/session-token';

const handlers = new WeakMap<object, (request: Request) => Promise<Response>>();

function handlerFor(env: WorkerEnv): (request: Request) => Promise<Response> {
  let handler = handlers.get(env);
  if (!handler) {
    handler = createSessionTokenHandler(workerOptions(env));
    handlers.set(env, handler);
  }
  return handler;
}

/**
 * A Worker deployed without its secret or with a wrong var answers like the core does: its preflight
 * passes and its 500 carries CORS headers, so the widget on the site says the service is unavailable
 * instead of blaming the visitor's connection; the cause is in the Worker's log (`wrangler tail`).
 */
function notConfigured(request: Request): Response {
  const cors = corsHeaders(request.headers.get('origin') ?? undefined);
  if (request.method === 'OPTIONS') return new Response(null, { status: 204, headers: { ...cors, ...PREFLIGHT_HEADERS } });
  return Response.json(
    { error: 'Something went wrong.', code: 'INTERNAL_ERROR' },
    { status: 500, headers: { ...cors, 'cache-control': 'no-store' } },
  );
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
      return notConfigured(request);
    }
    return handler(request);
  },
};
