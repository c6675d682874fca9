import type { ToolCallHandler } from '@anam-ai/js-sdk';
import type { ClientFactory, PersonaClient } from '../../widget/persona-session.ts';

type Listener = (...args: never[]) => void;

/** A MediaStream with a moving video track and an audio track, made in the page. */
function syntheticStream(): MediaStream {
  const canvas = document.createElement('canvas');
  canvas.width = 64;
  canvas.height = 64;
  const context = canvas.getContext('2d')!;
  context.fillStyle = '#4f46e5';
  context.fillRect(0, 0, 64, 64);
  const stream = canvas.captureStream(10);
  const audio = new AudioContext().createMediaStreamDestination().stream.getAudioTracks()[0];
  if (audio) stream.addTrack(audio);
  return stream;
}

/**
 * A stand-in for the SDK's AnamClient, for component tests only: the seam is the widget's client
 * factory. Records what the widget asked of it and lets a test play the SDK's events.
 */
export class FakeClient implements PersonaClient {
  readonly calls: string[] = [];
  readonly sent: string[] = [];
  readonly talked: string[] = [];
  /** Messages sent before the data channel opened: the SDK drops these without a word. */
  readonly dropped: string[] = [];
  /** What the widget sent with addContext, in order. */
  readonly contexts: string[] = [];
  /** The tool results the SDK would send back to the engine, in order. */
  readonly toolResults: Array<{ id: string; result?: string; error?: string }> = [];
  readonly toolHandlers = new Map<string, ToolCallHandler>();
  private toolCalls = 0;
  muted = false;
  dataChannelOpen = false;
  /** Set to make stream() fail, as the SDK would. */
  streamError: unknown;
  /** Set to keep stream() pending until a test resolves it. */
  holdStream = false;
  /** Set to keep the data channel connecting after stream() resolved, until a test opens it. */
  holdDataChannel = false;
  private readonly listeners = new Map<string, Listener[]>();
  private releaseStream: (() => void) | undefined;
  private streaming = false;

  constructor(
    readonly token: string,
    readonly options: Parameters<ClientFactory>[1],
  ) {}

  addListener(event: string, callback: Listener): void {
    this.listeners.set(event, [...(this.listeners.get(event) ?? []), callback]);
  }

  emit(event: string, ...args: unknown[]): void {
    for (const listener of this.listeners.get(event) ?? []) (listener as (...values: unknown[]) => void)(...args);
  }

  async stream(): Promise<MediaStream[]> {
    this.calls.push('stream');
    this.streaming = true;
    if (this.holdStream) await new Promise<void>((resolve) => (this.releaseStream = resolve));
    if (this.streamError) throw this.streamError;
    const stream = syntheticStream();
    this.emit('VIDEO_STREAM_STARTED', stream);
    this.emit('AUDIO_STREAM_STARTED', stream);
    // As in the SDK, the tracks arrive first and the data channel opens a moment later.
    if (!this.holdDataChannel) setTimeout(() => this.openDataChannel());
    return [stream, stream];
  }

  finishStream(): void {
    this.releaseStream?.();
  }

  openDataChannel(): void {
    this.dataChannelOpen = true;
    this.emit('DATA_CHANNEL_OPEN');
    this.emit('SESSION_READY', this.getActiveSessionId());
  }

  isStreaming(): boolean {
    return this.streaming;
  }

  async stopStreaming(): Promise<void> {
    this.calls.push('stopStreaming');
    // As the SDK does when a stream was asked for and not stopped yet.
    if (!this.streaming) return;
    this.streaming = false;
    this.emit('CONNECTION_CLOSED', 'CONNECTION_CLOSED_CODE_NORMAL');
  }

  async talk(content: string): Promise<void> {
    this.talked.push(content);
  }

  sendUserMessage(content: string): void {
    (this.dataChannelOpen ? this.sent : this.dropped).push(content);
  }

  interruptPersona(): void {
    this.calls.push('interruptPersona');
  }

  muteInputAudio() {
    this.muted = true;
    return this.getInputAudioState();
  }

  unmuteInputAudio() {
    this.muted = false;
    return this.getInputAudioState();
  }

  getInputAudioState() {
    return { isMuted: this.muted, permissionState: 'granted' } as ReturnType<PersonaClient['getInputAudioState']>;
  }

  async changeAudioInputDevice(deviceId: string): Promise<void> {
    this.calls.push(`changeAudioInputDevice:${deviceId}`);
  }

  registerToolCallHandler(name: string, handler: ToolCallHandler): () => void {
    this.toolHandlers.set(name, handler);
    return () => {
      if (this.toolHandlers.get(name) === handler) this.toolHandlers.delete(name);
    };
  }

  addContext(content: string): void {
    (this.dataChannelOpen ? this.contexts : this.dropped).push(content);
  }

  /**
   * The engine calls a tool, and the SDK does what it does: announces it, runs a registered
   * handler's onStart, and sends back its result or `Error in handler: …`.
   */
  async callTool(name: string, args: Record<string, unknown>, toolType = 'client') {
    const id = `call-${++this.toolCalls}`;
    const payload = {
      eventUid: `event-${id}`,
      sessionId: 'fake-session-1',
      toolCallId: id,
      toolName: name,
      toolType,
      arguments: args,
      timestamp: new Date().toISOString(),
      timestampUserAction: new Date().toISOString(),
      userActionCorrelationId: `correlation-${id}`,
    };
    this.emit('TOOL_CALL_STARTED', payload);
    const onStart = toolType === 'client' ? this.toolHandlers.get(name)?.onStart : undefined;
    if (!onStart) return undefined;
    try {
      const result = (await onStart(payload)) ?? undefined;
      this.toolResults.push({ id, ...(result === undefined ? {} : { result }) });
    } catch (error) {
      this.toolResults.push({ id, error: `Error in handler: ${(error as Error).message}` });
    }
    return this.toolResults.at(-1);
  }

  getActiveSessionId(): string | null {
    return 'fake-session-1';
  }

  /** The persona says `text` in one caption, as the SDK reports it. */
  say(id: string, text: string, endOfSpeech = true): void {
    this.emit('MESSAGE_STREAM_EVENT_RECEIVED', {
      id: `persona::${id}`,
      content: text,
      role: 'persona',
      endOfSpeech,
      interrupted: false,
    });
  }
}

/** A client factory that records every client the widget makes. */
export function fakeClientFactory(configure: (client: FakeClient) => void = () => undefined) {
  const clients: FakeClient[] = [];
  const factory: ClientFactory = (token, options) => {
    const client = new FakeClient(token, options);
    configure(client);
    clients.push(client);
    return client;
  };
  return { factory, clients };
}

export const FAKE_TOKEN = 'eyJhbGciOiJIUzI1NiJ9.eyJ0eXBlIjoic3RhdGVmdWwifQ.c2ln';

type FetchReply = { status?: number; body?: unknown; headers?: Record<string, string> } | 'network-error';

/** Replaces window.fetch for one test: answers token requests in turn, records them. */
export function stubTokenEndpoint(...replies: FetchReply[]) {
  const original = window.fetch;
  const requests: Array<{ url: string; init: RequestInit | undefined }> = [];
  window.fetch = async (input: RequestInfo | URL, init?: RequestInit) => {
    requests.push({ url: String(input), init });
    const reply = replies.length > 1 ? replies.shift()! : replies[0]!;
    if (reply === 'network-error') throw new TypeError('Failed to fetch');
    if (init?.signal?.aborted) throw init.signal.reason;
    const body = typeof reply.body === 'string' ? reply.body : JSON.stringify(reply.body ?? { sessionToken: FAKE_TOKEN });
    return new Response(body, { status: reply.status ?? 200, headers: { 'content-type': 'application/json', ...reply.headers } });
  };
  return { requests, restore: () => (window.fetch = original) };
}
