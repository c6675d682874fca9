import { createRequire } from 'node:module';

/**
 * The parts of node-webrtc (@roamhq/wrtc, prebuilt binaries from npm) the engine uses, typed here
 * because the package's own types lean on the DOM's.
 */
export interface NodeMediaStreamTrack {
  readonly kind: 'audio' | 'video';
  readonly id: string;
  enabled: boolean;
  stop(): void;
}
export interface NodeMediaStream {
  getTracks(): NodeMediaStreamTrack[];
}
export interface NodeIceCandidate {
  candidate: string;
  sdpMid: string | null;
  sdpMLineIndex: number | null;
}
export interface NodeDataChannel {
  readonly label: string;
  readonly readyState: 'connecting' | 'open' | 'closing' | 'closed';
  onmessage: ((event: { data: string | ArrayBuffer }) => void) | null;
  onopen: (() => void) | null;
  onclose: (() => void) | null;
  send(data: string): void;
  close(): void;
}
export interface NodePeerConnection {
  readonly connectionState: string;
  readonly localDescription: { type: string; sdp: string } | null;
  onicecandidate: ((event: { candidate: NodeIceCandidate | null }) => void) | null;
  onconnectionstatechange: (() => void) | null;
  ondatachannel: ((event: { channel: NodeDataChannel }) => void) | null;
  ontrack: ((event: { track: NodeMediaStreamTrack }) => void) | null;
  setRemoteDescription(description: { type: string; sdp: string }): Promise<void>;
  setLocalDescription(description?: { type: string; sdp: string }): Promise<void>;
  createAnswer(): Promise<{ type: string; sdp: string }>;
  addIceCandidate(candidate: NodeIceCandidate): Promise<void>;
  addTrack(track: NodeMediaStreamTrack, stream: NodeMediaStream): unknown;
  close(): void;
}
export interface I420Frame {
  width: number;
  height: number;
  data: Uint8Array;
}
export interface PcmChunk {
  samples: Int16Array;
  sampleRate: number;
  bitsPerSample: 16;
  channelCount: 1;
  numberOfFrames: number;
}
export interface NodeVideoSource {
  createTrack(): NodeMediaStreamTrack;
  onFrame(frame: I420Frame): void;
}
export interface NodeAudioSource {
  createTrack(): NodeMediaStreamTrack;
  onData(chunk: PcmChunk): void;
}
export interface NodeAudioSink {
  ondata: ((chunk: { samples: Int16Array; sampleRate: number; channelCount?: number }) => void) | null;
  stop(): void;
}

interface Wrtc {
  RTCPeerConnection: new (config: { iceServers: unknown[] }) => NodePeerConnection;
  MediaStream: new (tracks: NodeMediaStreamTrack[]) => NodeMediaStream;
  nonstandard: {
    RTCVideoSource: new () => NodeVideoSource;
    RTCAudioSource: new () => NodeAudioSource;
    RTCAudioSink: new (track: NodeMediaStreamTrack) => NodeAudioSink;
  };
}

export const wrtc = createRequire(import.meta.url)('@roamhq/wrtc') as Wrtc;
