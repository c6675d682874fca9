import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { sendIfOpen } from '../../server/local-engine/channel-send.ts';
import { PersonaPeer } from '../../server/local-engine/persona-peer.ts';
import { wrtc, type NodeDataChannel, type NodePeerConnection } from '../../server/local-engine/webrtc.ts';

type ClientConnection = NodePeerConnection & {
  createDataChannel(label: string): NodeDataChannel;
  addTransceiver(kind: string, init: { direction: string }): unknown;
  createOffer(): Promise<{ type: string; sdp: string }>;
};

async function waitFor(what: string, check: () => boolean): Promise<void> {
  const deadline = Date.now() + 5000;
  while (!check()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}

/** The persona's peer and a visitor's end of the call in Node, offering and opening `session` as the SDK does. */
async function call() {
  const client = new wrtc.RTCPeerConnection({ iceServers: [] }) as ClientConnection;
  let connected = false;
  const peer = new PersonaPeer({
    video: { width: 64, height: 48, fps: 10 },
    speechCharsPerSecond: 200,
    onUserMessage: () => undefined,
    onLocalCandidate: (candidate) => void client.addIceCandidate(candidate).catch(() => undefined),
    onConnected: () => (connected = true),
    onFailed: () => undefined,
    onClientMessage: () => undefined,
    onHangUp: () => undefined,
  });
  client.addTransceiver('video', { direction: 'recvonly' });
  client.addTransceiver('audio', { direction: 'recvonly' });
  const channel = client.createDataChannel('session');
  const received: string[] = [];
  channel.onmessage = ({ data }) => received.push(String(data));
  client.onicecandidate = ({ candidate }) => {
    if (candidate?.candidate) void peer.addRemoteCandidate(candidate);
  };
  return {
    peer,
    client,
    channel,
    received,
    async connect() {
      const offer = await client.createOffer();
      await client.setLocalDescription(offer);
      await client.setRemoteDescription(await peer.answer(offer));
      await waitFor('the call to connect', () => connected);
    },
  };
}

describe('local engine persona peer, when the visitor leaves', () => {
  it('keeps speaking without an error after the visitor closes the call mid-sentence, then frees it', async () => {
    const { peer, client, received, connect } = await call();
    peer.speaker.say('Welcome.');
    await connect();
    await waitFor('the greeting caption', () => received.join('').includes('Welcome.'));
    peer.speaker.say('This sentence is long enough to still be speaking when the visitor goes away.');
    await waitFor('the next caption', () => received.some((text) => text.includes('This sentence')));
    client.close();
    // Captions keep coming due while the channel is closing and closed: each must be dropped quietly.
    const sentBefore = peer.stats.audioChunksSent;
    await waitFor('the persona to keep going', () => peer.stats.audioChunksSent > sentBefore + 25);
    for (let i = 0; i < 50; i++) peer.send({ messageType: 'heartbeat' });
    peer.close();
    assert.equal(peer.stats.connectionState, 'closed');
  });

  it('sends nothing and reports false on a channel that has closed, without throwing', async () => {
    const { peer, client, channel, connect } = await call();
    await connect();
    await waitFor('the channel to open', () => channel.readyState === 'open');
    peer.close();
    await waitFor('the channel to close', () => channel.readyState === 'closed');
    assert.equal(sendIfOpen(channel, 'anyone there?'), false);
    client.close();
  });

  it('treats the send of a channel that closed under it as not sent, and still throws other errors', () => {
    // node-webrtc checks the native channel in send(): it can close between the readyState check and send().
    const closingUnderUs = {
      readyState: 'open',
      send() {
        throw Object.assign(new Error("RTCDataChannel.readyState is not 'open'"), { name: 'InvalidStateError' });
      },
    } as unknown as NodeDataChannel;
    assert.equal(sendIfOpen(closingUnderUs, '{}'), false);
    const broken = {
      readyState: 'open',
      send() {
        throw new TypeError('not a string');
      },
    } as unknown as NodeDataChannel;
    assert.throws(() => sendIfOpen(broken, '{}'), TypeError);
  });
});
