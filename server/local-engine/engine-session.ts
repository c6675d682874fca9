import type { FastifyBaseLogger } from 'fastify';
import type { WebSocket } from '@fastify/websocket';
import { Conversation, type DeclaredClientTool } from './conversation.ts';
import type { EngineFaults } from './faults.ts';
import type { MediaLink, RemotePeer } from './media-link.ts';
import type { NodeIceCandidate } from './webrtc.ts';

export type EngineSessionState = 'awaiting-socket' | 'negotiating' | 'live' | 'ended';

export interface EngineSessionOptions {
  id: string;
  /** The client address that started it (the engine limits sessions per address). */
  address: string;
  personaName: string;
  greeting: string | undefined;
  video: { width: number; height: number; fps: number };
  speechCharsPerSecond: number;
  /** The persona config's client tools, which a visitor's message may call. */
  clientTools: readonly DeclaredClientTool[];
  /** Never answers the client's offer, as a session whose media cannot connect (fault `stallSessions`). */
  stalled: boolean;
  heartbeatIntervalSeconds: number;
  /** How long a dropped socket may take to come back before the session is freed. */
  reconnectGraceMs: number;
  /** How long after start the client has to open its socket. */
  socketWaitMs: number;
  maxSessionSeconds: number;
  /** Ends the session after this long without a word, message or offer from either side. */
  idleMs: number;
  faults: () => EngineFaults;
  /** Where the session's WebRTC peer lives: the engine's media process. */
  media: MediaLink;
  log: FastifyBaseLogger;
  onEnded: (session: EngineSession) => void;
}

interface SignalMessage {
  actionType: string;
  sessionId?: string;
  payload?: unknown;
}

/**
 * One persona session, from the REST start to its end: its signalling socket, its WebRTC peer,
 * its timers. Ends (and frees everything) on `endsession`, a dropped socket that does not come
 * back, missed heartbeats, a failed connection or the session's length limit.
 */
export class EngineSession {
  state: EngineSessionState = 'awaiting-socket';
  endReason: string | undefined;
  readonly createdAt = Date.now();
  readonly messagesReceived: Array<Record<string, unknown>> = [];
  private socket: WebSocket | undefined;
  private peer: RemotePeer | undefined;
  private conversation: Conversation | undefined;
  private lastHeartbeatAt = Date.now();
  private lastActivityAt = Date.now();
  private readonly timers = new Set<NodeJS.Timeout>();
  private refuseReconnect = false;

  constructor(private readonly options: EngineSessionOptions) {
    this.after(options.socketWaitMs, () => {
      if (this.state === 'awaiting-socket') this.end('client never connected', false);
    });
  }

  get id(): string {
    return this.options.id;
  }

  get address(): string {
    return this.options.address;
  }

  /** How long the session may last once live (the fault switch aside). */
  get lengthLimitSeconds(): number {
    return this.options.maxSessionSeconds;
  }

  /** Takes the client's signalling socket (the first, or a reconnection of a dropped one). */
  attach(socket: WebSocket): void {
    if (this.state === 'ended' || this.refuseReconnect) {
      socket.close(4004, 'session ended');
      return;
    }
    this.socket?.close(1000, 'replaced');
    this.socket = socket;
    this.lastHeartbeatAt = Date.now();
    if (this.state === 'awaiting-socket') {
      this.state = 'negotiating';
      this.startHeartbeatWatch();
    }
    socket.on('message', (raw: Buffer) => void this.handleSignal(String(raw)));
    socket.on('close', () => {
      if (this.socket !== socket) return;
      this.socket = undefined;
      this.after(this.options.reconnectGraceMs, () => {
        if (!this.socket) this.end('signalling socket closed', false);
      });
    });
    const { dropSocketAfterMs } = this.options.faults();
    if (dropSocketAfterMs !== undefined) {
      this.after(dropSocketAfterMs, () => {
        this.refuseReconnect = true;
        socket.terminate();
      });
    }
  }

  /** The persona says exactly this text (POST /talk). */
  talk(text: string): void {
    this.peer?.say(text);
  }

  /**
   * Cuts the media and the signalling at once, as a network loss would: no `endsession`, the socket
   * dies without a close frame and may not come back; the session is freed after the reconnect grace.
   */
  drop(): void {
    if (this.state === 'ended') return;
    this.refuseReconnect = true;
    this.conversation?.close();
    this.peer?.close();
    this.socket?.terminate();
  }

  /** Ends the session and frees all it holds; `tellClient` sends `endsession` first. */
  end(reason: string, tellClient: boolean): void {
    if (this.state === 'ended') return;
    this.state = 'ended';
    this.endReason = reason;
    if (tellClient) this.signal({ actionType: 'endsession', sessionId: this.id, payload: reason });
    for (const timer of this.timers) clearTimeout(timer);
    this.timers.clear();
    this.conversation?.close();
    this.peer?.close();
    this.socket?.close(1000, 'session ended');
    this.socket = undefined;
    this.options.log.info({ sessionId: this.id, reason }, 'local engine session ended');
    this.options.onEnded(this);
  }

  inspect() {
    return {
      id: this.id,
      state: this.state,
      persona: this.options.personaName,
      micLevel: this.peer?.status.micLevel ?? 0,
      micSamplesReceived: this.peer?.status.micSamplesReceived ?? 0,
      userSpeaking: this.peer?.status.userSpeaking ?? false,
      personaSpeaking: this.peer?.status.personaSpeaking ?? false,
      spoken: this.peer?.status.spoken ?? [],
      context: this.conversation?.context,
      messagesReceived: this.messagesReceived.filter((message) => message['message_type'] !== 'remote_rtp_stats'),
      media: this.peer && {
        audioChunksSent: this.peer.status.audioChunksSent,
        videoFramesSent: this.peer.status.videoFramesSent,
        connectionState: this.peer.status.connectionState,
      },
      endReason: this.endReason,
    };
  }

  private async handleSignal(raw: string): Promise<void> {
    let message: SignalMessage;
    try {
      message = JSON.parse(raw) as SignalMessage;
      if (message.actionType !== 'heartbeat') this.lastActivityAt = Date.now();
    } catch {
      this.signal({ actionType: 'warning', sessionId: this.id, payload: 'malformed signalling message' });
      return;
    }
    switch (message.actionType) {
      case 'heartbeat':
        this.lastHeartbeatAt = Date.now();
        return;
      case 'offer':
        await this.answerOffer(message.payload);
        break;
      case 'icecandidate':
        if (isCandidate(message.payload)) this.peer?.addRemoteCandidate(message.payload);
        break;
      case 'endsession':
        this.end('client ended the session', false);
        break;
      default:
        this.signal({ actionType: 'warning', sessionId: this.id, payload: `unsupported action ${message.actionType}` });
    }
  }

  private async answerOffer(payload: unknown): Promise<void> {
    const description = (payload as { connectionDescription?: { type?: string; sdp?: string } } | undefined)
      ?.connectionDescription;
    if (description?.type !== 'offer' || typeof description.sdp !== 'string') {
      this.signal({ actionType: 'warning', sessionId: this.id, payload: 'offer without a connection description' });
      return;
    }
    if (this.options.stalled) return;
    if (this.peer) {
      // The SDK re-offers only for an ICE restart; the engine's peers never need one on loopback.
      this.signal({ actionType: 'warning', sessionId: this.id, payload: 'renegotiation is not supported by the local engine' });
      return;
    }
    this.peer = this.createPeer();
    try {
      const answer = await this.peer.answer({ type: 'offer', sdp: description.sdp });
      this.signal({ actionType: 'answer', sessionId: this.id, payload: answer });
    } catch (error) {
      this.options.log.warn({ sessionId: this.id, reason: (error as Error).message }, 'local engine could not answer the offer');
      this.end('could not negotiate media', true);
    }
  }

  private createPeer(): RemotePeer {
    const { options } = this;
    const peer = options.media.createPeer({
      video: options.video,
      speechCharsPerSecond: options.speechCharsPerSecond,
      onUserMessage: (message) => conversation.hear(message),
      onLocalCandidate: (candidate) => this.signal({ actionType: 'icecandidate', sessionId: this.id, payload: candidate }),
      onConnected: () => this.goLive(),
      onFailed: (reason) => this.end(reason, true),
      onClientMessage: (message) => this.receiveClientMessage(message),
      // Without this, a visitor's End would hold the session (and a concurrency slot) for the reconnect grace.
      onHangUp: () => this.end('client hung up', false),
    });
    const conversation = new Conversation({
      sessionId: this.id,
      tools: options.clientTools,
      say: (text) => peer.say(text),
      send: (message) => peer.send(message),
    });
    this.conversation = conversation;
    return peer;
  }

  private receiveClientMessage(message: Record<string, unknown>): void {
    this.lastActivityAt = Date.now();
    this.messagesReceived.push(message);
    if (message['message_type'] === 'tool_result') this.conversation?.receiveToolResult(message);
    else if (message['message_type'] === 'context' && typeof message['content'] === 'string')
      this.conversation!.context = message['content'];
  }

  private goLive(): void {
    if (this.state !== 'negotiating') return;
    this.state = 'live';
    this.signal({ actionType: 'sessionready', sessionId: this.id, payload: '' });
    if (this.options.greeting) this.peer?.say(this.options.greeting);
    const { endSessionAfterSeconds } = this.options.faults();
    const limitSeconds = endSessionAfterSeconds ?? this.options.maxSessionSeconds;
    this.after(limitSeconds * 1000, () => this.end('session length limit reached', true));
  }

  /**
   * Ends a session whose client stopped sending heartbeats (a closed tab does not say goodbye), and
   * one that is kept alive by heartbeats alone: nobody speaks, types or negotiates media.
   */
  private startHeartbeatWatch(): void {
    const intervalMs = Math.min(this.options.heartbeatIntervalSeconds * 1000, this.options.idleMs);
    const check = () => {
      const now = Date.now();
      if (this.socket && now - this.lastHeartbeatAt > this.options.heartbeatIntervalSeconds * 3000) {
        this.end('heartbeat stopped', true);
        return;
      }
      if (this.peer?.status.personaSpeaking || this.peer?.status.userSpeaking) this.lastActivityAt = now;
      if (now - this.lastActivityAt > this.options.idleMs) {
        this.end('idle', true);
        return;
      }
      this.after(intervalMs, check);
    };
    this.after(intervalMs, check);
  }

  private signal(message: SignalMessage): void {
    if (this.socket?.readyState === 1) this.socket.send(JSON.stringify(message));
  }

  private after(ms: number, action: () => void): void {
    const timer = setTimeout(() => {
      this.timers.delete(timer);
      action();
    }, ms);
    this.timers.add(timer);
  }
}

function isCandidate(payload: unknown): payload is NodeIceCandidate {
  return typeof payload === 'object' && payload !== null && typeof (payload as { candidate?: unknown }).candidate === 'string';
}
