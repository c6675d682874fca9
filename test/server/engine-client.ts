import WebSocket from 'ws';
import { LOCAL_ENGINE_API_KEY } from '../../server/config.ts';
import { LOCAL_PERSONA_ID } from '../../server/local-engine/catalog.ts';
import { wrtc, type NodeDataChannel, type NodeIceCandidate, type NodePeerConnection } from '../../server/local-engine/webrtc.ts';
import { postJson, waitUntil } from './helpers.ts';

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

type ClientConnection = NodePeerConnection & {
  createDataChannel(label: string): NodeDataChannel;
  addTransceiver(kind: string, init: { direction: string }): unknown;
  createOffer(): Promise<{ type: string; sdp: string }>;
};

export interface SignalMessage {
  actionType: string;
  payload: unknown;
}

/**
 * A session's call from a visitor's side, in Node: an offer as the SDK makes it (video and audio to
 * receive, the `session` data channel) over the signalling socket, candidates both ways.
 */
export async function callSession(engine: { base: string }) {
  const { sessionId, socket } = await openSession(engine);
  const signals: SignalMessage[] = [];
  const captions: string[] = [];
  const client = new wrtc.RTCPeerConnection({ iceServers: [] }) as ClientConnection;
  const signal = (actionType: string, payload: unknown) => socket.send(JSON.stringify({ actionType, sessionId, payload }));
  socket.on('message', (raw) => {
    const message = JSON.parse(String(raw)) as SignalMessage;
    signals.push(message);
    if (message.actionType === 'answer') void client.setRemoteDescription(message.payload as { type: string; sdp: string });
    if (message.actionType === 'icecandidate')
      void client.addIceCandidate(message.payload as NodeIceCandidate).catch(() => undefined);
  });
  client.onicecandidate = ({ candidate }) => {
    if (candidate?.candidate) signal('icecandidate', candidate);
  };
  client.addTransceiver('video', { direction: 'recvonly' });
  client.addTransceiver('audio', { direction: 'recvonly' });
  const channel = client.createDataChannel('session');
  channel.onmessage = ({ data }) => captions.push(String(data));
  const offer = await client.createOffer();
  await client.setLocalDescription(offer);
  signal('offer', { connectionDescription: offer });
  return { sessionId, socket, client, channel, signals, captions };
}

/** A call that is live: the engine said sessionready and the greeting's first caption arrived. */
export async function liveCall(engine: { base: string }) {
  const call = await callSession(engine);
  await waitUntil('the session to go live', () => call.signals.some((signal) => signal.actionType === 'sessionready'));
  await waitUntil('the greeting on the data channel', () => call.captions.length > 0);
  return call;
}
