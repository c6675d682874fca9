// The local engine's media process: every session's WebRTC peer, forked by media-link.ts. node-webrtc
// is native code with races of its own (a send racing the browser's close can segfault); here such a
// crash ends the live calls and this process, while the token server and the engine's sessions go on.
import type { MediaCommand, MediaEvent, PeerStatus } from './media-protocol.ts';
import { PersonaPeer } from './persona-peer.ts';

/** How often each peer's status is sent to the engine when it has changed. */
const STATUS_INTERVAL_MS = 100;

const peers = new Map<string, PersonaPeer>();
const lastStatus = new Map<string, string>();

function tell(event: MediaEvent): void {
  if (process.connected) process.send!(event);
}

function open({ peerId, video, speechCharsPerSecond }: Extract<MediaCommand, { type: 'open' }>): void {
  peers.set(
    peerId,
    new PersonaPeer({
      video,
      speechCharsPerSecond,
      onUserMessage: (message) => tell({ type: 'user-message', peerId, message }),
      onLocalCandidate: (candidate) => tell({ type: 'local-candidate', peerId, candidate }),
      onConnected: () => tell({ type: 'connected', peerId }),
      onFailed: () => tell({ type: 'failed', peerId }),
      onClientMessage: (message) => tell({ type: 'client-message', peerId, message }),
      onHangUp: () => tell({ type: 'hung-up', peerId }),
    }),
  );
}

async function answer(peer: PersonaPeer, { peerId, offer }: Extract<MediaCommand, { type: 'answer' }>) {
  try {
    tell({ type: 'answered', peerId, answer: await peer.answer(offer) });
  } catch (error) {
    tell({ type: 'answer-failed', peerId, reason: (error as Error).message });
  }
}

function handle(command: MediaCommand): void {
  if (command.type === 'open') return open(command);
  const peer = peers.get(command.peerId);
  if (!peer) return;
  switch (command.type) {
    case 'answer':
      void answer(peer, command);
      break;
    case 'candidate':
      void peer.addRemoteCandidate(command.candidate);
      break;
    case 'send':
      peer.send(command.message);
      break;
    case 'say':
      peer.speaker.say(command.text);
      break;
    case 'close':
      peer.close();
      peers.delete(command.peerId);
      lastStatus.delete(command.peerId);
      break;
  }
}

function statusOf(peer: PersonaPeer): PeerStatus {
  return {
    micLevel: peer.mic.level,
    micSamplesReceived: peer.mic.samplesReceived,
    userSpeaking: peer.mic.userSpeaking,
    personaSpeaking: peer.speaker.speaking,
    spoken: peer.speaker.spoken,
    ...peer.stats,
  };
}

function sendChangedStatuses(): void {
  for (const [peerId, peer] of peers) {
    const status = statusOf(peer);
    const text = JSON.stringify(status);
    if (lastStatus.get(peerId) === text) continue;
    lastStatus.set(peerId, text);
    tell({ type: 'status', peerId, status });
  }
}

process.on('message', (command: MediaCommand) => handle(command));
// Ctrl-C, systemd and `docker stop` signal the whole process group: the server shuts down gracefully,
// ending its sessions, then disconnects, which is when this process leaves.
for (const signal of ['SIGINT', 'SIGTERM'] as const) process.on(signal, () => undefined);
// The engine has gone (closed, or its process died): free every call and leave.
process.on('disconnect', () => {
  for (const peer of peers.values()) peer.close();
  process.exit(0);
});
setInterval(sendChangedStatuses, STATUS_INTERVAL_MS).unref();
tell({ type: 'ready' });
