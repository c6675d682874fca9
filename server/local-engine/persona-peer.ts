import { sendIfOpen } from './channel-send.ts';
import { faceFrames, MOUTH_LEVELS, type FaceFrames } from './face.ts';
import { MicMeter } from './mic-meter.ts';
import { Speaker } from './speaker.ts';
import { SAMPLES_PER_CHUNK, SAMPLE_RATE, Voice } from './voice.ts';
import {
  wrtc,
  type NodeAudioSink,
  type NodeAudioSource,
  type NodeDataChannel,
  type NodeIceCandidate,
  type NodeMediaStreamTrack,
  type NodePeerConnection,
  type NodeVideoSource,
} from './webrtc.ts';

const CHUNK_MS = (SAMPLES_PER_CHUNK / SAMPLE_RATE) * 1000;
/** The media loop wakes this often and catches up on whatever audio and video is due. */
const LOOP_INTERVAL_MS = 20;
/** At most this much audio is produced in one wake-up, so a stalled loop does not burst. */
const MAX_CATCH_UP_CHUNKS = 20;
const BLINK_EVERY_MS = 4200;
const BLINK_LENGTH_MS = 160;

export interface PersonaPeerOptions {
  video: { width: number; height: number; fps: number };
  speechCharsPerSecond: number;
  /** What the visitor types (`sendUserMessage`). */
  onUserMessage: (message: string) => void;
  onLocalCandidate: (candidate: NodeIceCandidate) => void;
  onConnected: () => void;
  onFailed: () => void;
  /** Every message the client sends on the `session` data channel. */
  onClientMessage: (message: Record<string, unknown>) => void;
  /** The client closed the `session` channel: the SDK hangs up that way (and closes its socket). */
  onHangUp: () => void;
}

/**
 * The persona's end of the WebRTC call: sends a drawn face and a voice, captions on the `session`
 * data channel, hands typed messages on, and measures the visitor's microphone.
 */
export class PersonaPeer {
  readonly mic = new MicMeter();
  readonly speaker: Speaker;
  private readonly connection: NodePeerConnection;
  private readonly videoSource: NodeVideoSource = new wrtc.nonstandard.RTCVideoSource();
  private readonly audioSource: NodeAudioSource = new wrtc.nonstandard.RTCAudioSource();
  private readonly tracks: NodeMediaStreamTrack[];
  private readonly face: FaceFrames;
  private readonly voice = new Voice();
  private channel: NodeDataChannel | undefined;
  /** Messages said before the data channel opened: the greeting must not lose its first words. */
  private unsent: string[] = [];
  private micSink: NodeAudioSink | undefined;
  private loop: NodeJS.Timeout | undefined;
  private startedAt = 0;
  private audioChunksSent = 0;
  private videoFramesSent = 0;
  private nextFrameAtMs = 0;
  private mouthLevel = 0;
  private pendingCandidates: NodeIceCandidate[] | undefined = [];
  private closed = false;

  constructor(private readonly options: PersonaPeerOptions) {
    this.face = faceFrames(options.video.width, options.video.height);
    this.speaker = new Speaker(options.speechCharsPerSecond, (message) => this.send(message));
    this.connection = new wrtc.RTCPeerConnection({ iceServers: [] });
    const videoTrack = this.videoSource.createTrack();
    const audioTrack = this.audioSource.createTrack();
    this.tracks = [videoTrack, audioTrack];
    // The SDK reads event.streams[0] for each track: both go out in one stream.
    const stream = new wrtc.MediaStream(this.tracks);
    this.connection.addTrack(videoTrack, stream);
    this.connection.addTrack(audioTrack, stream);
    this.connection.onicecandidate = ({ candidate }) => {
      if (candidate?.candidate) {
        options.onLocalCandidate({
          candidate: candidate.candidate,
          sdpMid: candidate.sdpMid,
          sdpMLineIndex: candidate.sdpMLineIndex,
        });
      }
    };
    this.connection.onconnectionstatechange = () => this.handleConnectionState();
    this.connection.ondatachannel = ({ channel }) => this.acceptChannel(channel);
    this.connection.ontrack = ({ track }) => {
      if (track.kind === 'audio') this.listenToMic(track);
    };
  }

  /** Applies the client's offer and returns the answer to send back. */
  async answer(offer: { type: string; sdp: string }): Promise<{ type: 'answer'; sdp: string }> {
    await this.connection.setRemoteDescription(offer);
    const answer = await this.connection.createAnswer();
    await this.connection.setLocalDescription(answer);
    const candidates = this.pendingCandidates ?? [];
    this.pendingCandidates = undefined;
    for (const candidate of candidates) await this.addRemoteCandidate(candidate);
    return { type: 'answer', sdp: this.connection.localDescription?.sdp ?? answer.sdp };
  }

  async addRemoteCandidate(candidate: NodeIceCandidate): Promise<void> {
    // Candidates can trickle in before the offer has been applied: hold them until it has.
    if (this.pendingCandidates) {
      this.pendingCandidates.push(candidate);
      return;
    }
    await this.connection.addIceCandidate(candidate).catch(() => undefined);
  }

  get stats() {
    return {
      audioChunksSent: this.audioChunksSent,
      videoFramesSent: this.videoFramesSent,
      connectionState: this.connection.connectionState,
    };
  }

  /**
   * Sends on the `session` channel, or holds the message until the channel opens. Once the channel is
   * closing or closed the visitor has gone: the message is dropped, never thrown at the server.
   */
  send(message: object): void {
    if (this.closed) return;
    const text = JSON.stringify(message);
    if (!this.channel || this.channel.readyState === 'connecting') this.unsent.push(text);
    else sendIfOpen(this.channel, text);
  }

  /** Frees everything the call holds: loop, sink, tracks, channel and the connection itself. */
  close(): void {
    if (this.closed) return;
    this.closed = true;
    clearInterval(this.loop);
    this.micSink?.stop();
    this.channel?.close();
    for (const track of this.tracks) track.stop();
    this.connection.close();
  }

  private handleConnectionState(): void {
    const state = this.connection.connectionState;
    if (state === 'connected' && !this.loop && !this.closed) {
      this.startMediaLoop();
      this.options.onConnected();
    } else if (state === 'failed') {
      this.options.onFailed();
    }
  }

  private acceptChannel(channel: NodeDataChannel): void {
    if (channel.label !== 'session') return;
    this.channel = channel;
    const flush = () => {
      for (const message of this.unsent.splice(0)) if (!sendIfOpen(channel, message)) return;
    };
    if (channel.readyState === 'open') flush();
    else channel.onopen = flush;
    channel.onclose = () => {
      if (!this.closed) this.options.onHangUp();
    };
    channel.onmessage = ({ data }) => {
      if (typeof data !== 'string') return;
      let message: Record<string, unknown>;
      try {
        message = JSON.parse(data) as Record<string, unknown>;
      } catch {
        return;
      }
      this.options.onClientMessage(message);
      if (message['message_type'] === 'speech' && typeof message['content'] === 'string') {
        this.options.onUserMessage(message['content']);
      } else if (message['message_type'] === 'interrupt') {
        this.speaker.interrupt();
      }
    };
  }

  private listenToMic(track: NodeMediaStreamTrack): void {
    this.micSink?.stop();
    this.micSink = new wrtc.nonstandard.RTCAudioSink(track);
    this.micSink.ondata = ({ samples, sampleRate, channelCount }) => {
      const change = this.mic.measure(samples, sampleRate, channelCount);
      if (change === 'started')
        this.send({ messageType: 'userSpeechStarted', data: { user_action_correlation_id: `mic-${Date.now()}` } });
      if (change === 'ended')
        this.send({ messageType: 'userSpeechEnded', data: { user_action_correlation_id: `mic-${Date.now()}` } });
    };
  }

  /** Produces audio and video by the wall clock, so timer jitter never changes their pace. */
  private startMediaLoop(): void {
    this.startedAt = performance.now();
    const frameMs = 1000 / this.options.video.fps;
    this.loop = setInterval(() => {
      const elapsed = performance.now() - this.startedAt;
      const dueChunks = Math.min(MAX_CATCH_UP_CHUNKS, Math.floor(elapsed / CHUNK_MS) - this.audioChunksSent);
      for (let i = 0; i < dueChunks; i++) {
        const { loudness, vowel } = this.speaker.tick(CHUNK_MS);
        this.audioSource.onData(this.voice.next(loudness, vowel));
        this.mouthLevel = loudness * (MOUTH_LEVELS - 1);
        this.audioChunksSent++;
      }
      if (dueChunks === MAX_CATCH_UP_CHUNKS) this.audioChunksSent = Math.floor(elapsed / CHUNK_MS);
      if (elapsed >= this.nextFrameAtMs) {
        const eyesClosed = elapsed % BLINK_EVERY_MS < BLINK_LENGTH_MS;
        this.videoSource.onFrame(this.face.frame(this.mouthLevel, eyesClosed));
        this.videoFramesSent++;
        this.nextFrameAtMs = (Math.floor(elapsed / frameMs) + 1) * frameMs;
      }
    }, LOOP_INTERVAL_MS);
  }
}
