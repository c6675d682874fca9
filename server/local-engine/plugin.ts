import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import cors from '@fastify/cors';
import websocket from '@fastify/websocket';
import { findPersonaConfigProblems } from '../persona-config.ts';
import { KNOWN_AVATAR_IDS, KNOWN_LLM_IDS, KNOWN_PERSONA_IDS, KNOWN_VOICE_IDS } from './catalog.ts';
import { delay, parseFaults } from './faults.ts';
import type { LocalEngine } from './local-engine.ts';

const LOCAL_ACCOUNT_ID = 'local-account';
/** Anam's API takes persona configs with long system prompts: more than the token server's 1 KB. */
const ENGINE_BODY_LIMIT_BYTES = 64 * 1024;
/** The largest signalling message (an SDP offer is a few KB); ws would take 100 MiB. */
export const SIGNALLING_MAX_PAYLOAD_BYTES = 64 * 1024;

/** Answers the way Anam's API does: `{ error, message }` with the status. */
function fail(reply: FastifyReply, status: number, error: string, message?: string) {
  return reply.code(status).send(message ? { error, message } : { error });
}

function bearer(request: FastifyRequest): string | undefined {
  const header = request.headers.authorization;
  return header?.startsWith('Bearer ') ? header.slice('Bearer '.length).trim() : undefined;
}

/**
 * The local engine's HTTP and WebSocket face, mounted under a prefix: the same routes Anam's API
 * and engine serve, so the real SDK can be pointed at it with `api.baseUrl`.
 */
export async function localEnginePlugin(app: FastifyInstance, { engine }: { engine: LocalEngine }): Promise<void> {
  // The SDK calls the engine from whatever page embeds the widget: Anam's API allows any origin.
  await app.register(cors, { origin: true, methods: ['GET', 'POST', 'PUT'] });
  await app.register(websocket, { options: { maxPayload: SIGNALLING_MAX_PAYLOAD_BYTES } });
  app.addHook('onRoute', (route) => {
    route.bodyLimit ??= ENGINE_BODY_LIMIT_BYTES;
  });
  app.addHook('onClose', async () => engine.close());

  app.post('/v1/auth/session-token', async (request, reply) => {
    const key = bearer(request);
    if (!key) return fail(reply, 401, 'Unauthorized', 'Missing API key');
    if (engine.options.restrictedApiKeys?.includes(key)) return fail(reply, 403, 'Forbidden', 'API key lacks permission');
    if (!engine.options.apiKeys.includes(key)) return fail(reply, 401, 'Unauthorized', 'Invalid API key');
    await delay(engine.faults.authDelayMs);
    if (engine.faults.authStatus) return fail(reply, engine.faults.authStatus, 'Injected fault');
    const personaConfig = (request.body as { personaConfig?: unknown } | undefined)?.personaConfig;
    const problems = findPersonaConfigProblems(personaConfig);
    if (problems.length > 0) return fail(reply, 400, 'Invalid persona config', problems.join('; '));
    const config = personaConfig as Record<string, unknown>;
    if ('personaId' in config && !KNOWN_PERSONA_IDS.has(String(config['personaId']))) {
      return fail(reply, 404, 'Persona not found');
    }
    const unknownAsset = (
      [
        ['avatarId', KNOWN_AVATAR_IDS],
        ['voiceId', KNOWN_VOICE_IDS],
        ['llmId', KNOWN_LLM_IDS],
        ['brainType', KNOWN_LLM_IDS],
      ] as const
    ).find(([field, known]) => config[field] !== undefined && !known.has(String(config[field])));
    if (unknownAsset) return fail(reply, 400, 'Invalid persona config', `${unknownAsset[0]} does not exist`);
    if (!engine.allowMint(key)) return reply.header('retry-after', '60').code(429).send({ error: 'Rate limit exceeded' });
    return { sessionToken: engine.tokens.mint(LOCAL_ACCOUNT_ID, config) };
  });

  app.post('/v1/engine/session', async (request, reply) => {
    const token = bearer(request);
    if (!token) return fail(reply, 401, 'Unauthorized', 'Missing session token');
    await delay(engine.faults.sessionDelayMs);
    if (engine.faults.sessionStatus) return fail(reply, engine.faults.sessionStatus, 'Injected fault');
    const verified = engine.tokens.verify(token);
    if ('problem' in verified) return fail(reply, 401, 'Unauthorized', verified.problem);
    if (engine.liveSessionCount >= engine.settings.maxConcurrentSessions) {
      return fail(reply, 429, 'Concurrent session limit reached');
    }
    if (engine.sessionsFrom(request.ip) >= engine.settings.sessionsPerAddress) {
      return fail(reply, 429, 'Concurrent session limit reached', 'too many sessions from this address');
    }
    if (!engine.tokens.spend(verified.claims)) return fail(reply, 401, 'Unauthorized', 'session token already used');
    const session = engine.startSession(verified.claims, request.ip);
    const prefix = app.prefix;
    return {
      sessionId: session.id,
      // Derived from the request so the engine works under any hostname it is reached by.
      engineHost: `${request.host}${prefix}`,
      engineProtocol: request.protocol,
      signallingEndpoint: `${prefix}/ws`,
      clientConfig: {
        heartbeatIntervalSeconds: engine.settings.heartbeatIntervalSeconds,
        maxWsReconnectionAttempts: engine.settings.maxWsReconnectionAttempts,
        iceServers: [],
      },
    };
  });

  app.get('/ws', { websocket: true }, (socket, request) => {
    const sessionId = (request.query as { session_id?: string }).session_id ?? '';
    const session = engine.session(sessionId);
    if (!session) {
      socket.close(4004, 'unknown session');
      return;
    }
    session.attach(socket);
  });

  app.post('/talk', async (request, reply) => {
    const sessionId = (request.query as { session_id?: string }).session_id ?? '';
    const content = (request.body as { content?: unknown } | undefined)?.content;
    const session = engine.session(sessionId);
    if (!session || session.state !== 'live') return fail(reply, 404, 'Session not found');
    if (typeof content !== 'string' || content.trim() === '') return fail(reply, 400, 'content is required');
    session.talk(content);
    return reply.code(204).send();
  });

  // The SDK reports client metrics to {baseUrl}/v1/metrics/client; the engine takes and drops them.
  app.post('/v1/metrics/client', async (_request, reply) => reply.code(204).send());

  if (engine.options.testControls) {
    app.put('/__test/faults', async (request, reply) => {
      try {
        engine.faults = parseFaults(request.body);
      } catch (error) {
        return fail(reply, 400, (error as Error).message);
      }
      return engine.faults;
    });
    app.get('/__test/sessions', async () => engine.inspect());
    app.post('/__test/drop', async () => ({ dropped: engine.dropAll() }));
  }
}
