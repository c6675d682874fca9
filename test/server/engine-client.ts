import WebSocket from 'ws';
import { LOCAL_ENGINE_API_KEY } from '../../server/config.ts';
import { LOCAL_PERSONA_ID } from '../../server/local-engine/catalog.ts';
import { postJson } from './helpers.ts';

/** A session started over REST, with its signalling socket open the way the SDK opens it. */
export async function openSession(engine: { base: string }, key = LOCAL_ENGINE_API_KEY) {
  const auth = (bearer: string) => ({ authorization: `Bearer ${bearer}` });
  const token = (
    await postJson(`${engine.base}/v1/auth/session-token`, { personaConfig: { personaId: LOCAL_PERSONA_ID } }, auth(key))
  ).json?.['sessionToken'] as string;
  const session = (await postJson(`${engine.base}/v1/engine/session`, {}, auth(token))).json as {
    sessionId: string;
    engineHost: string;
    signallingEndpoint: string;
  };
  const url = new URL(`ws://${session.engineHost}`);
  url.pathname = session.signallingEndpoint;
  url.searchParams.set('session_id', session.sessionId);
  const socket = new WebSocket(url);
  await new Promise((resolve, reject) => socket.once('open', resolve).once('error', reject));
  return { sessionId: session.sessionId, socket };
}
