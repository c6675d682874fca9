import type { NodeIceCandidate } from './webrtc.ts';

/**
 * What the engine and its media process say to each other over the IPC channel. The media process
 * holds every session's WebRTC peer (node-webrtc, native code); the engine keeps the sessions, the
 * signalling and the conversation, so a crash in the native library costs the live calls, not the server.
 */
export type MediaCommand =
  | { type: 'open'; peerId: string; video: { width: number; height: number; fps: number }; speechCharsPerSecond: number }
  | { type: 'answer'; peerId: string; offer: { type: string; sdp: string } }
  | { type: 'candidate'; peerId: string; candidate: NodeIceCandidate }
  | { type: 'send'; peerId: string; message: object }
  | { type: 'say'; peerId: string; text: string }
  | { type: 'close'; peerId: string };

export type MediaEvent =
  | { type: 'ready' }
  | { type: 'answered'; peerId: string; answer: { type: 'answer'; sdp: string } }
  | { type: 'answer-failed'; peerId: string; reason: string }
  | { type: 'local-candidate'; peerId: string; candidate: NodeIceCandidate }
  | { type: 'connected'; peerId: string }
  | { type: 'failed'; peerId: string }
  | { type: 'hung-up'; peerId: string }
  | { type: 'client-message'; peerId: string; message: Record<string, unknown> }
  | { type: 'user-message'; peerId: string; message: string }
  | { type: 'status'; peerId: string; status: PeerStatus };

/** What the engine may read of a peer (inspection, the idle check), sent whenever it changes. */
export interface PeerStatus {
  micLevel: number;
  micSamplesReceived: number;
  userSpeaking: boolean;
  personaSpeaking: boolean;
  spoken: string[];
  audioChunksSent: number;
  videoFramesSent: number;
  connectionState: string;
}

export const INITIAL_PEER_STATUS: PeerStatus = {
  micLevel: 0,
  micSamplesReceived: 0,
  userSpeaking: false,
  personaSpeaking: false,
  spoken: [],
  audioChunksSent: 0,
  videoFramesSent: 0,
  connectionState: 'new',
};
