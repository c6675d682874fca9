import type { AnamClient, createClient } from '@anam-ai/js-sdk';
import { AnamEvent, loadedSdk, loadSdk } from './anam-sdk.ts';
import { CONNECTION_CLOSED_BY_SERVER, fromConnectionClosed, fromSdkError } from './sdk-errors.ts';
import { stopMicrophoneGrantedLate } from './late-microphone.ts';
import { stopSessionStartedLate } from './late-session.ts';
import { fetchSessionToken, type SessionTokenReply, type TokenRequest } from './token-client.ts';
import { WidgetError } from './widget-error.ts';

export type SessionState = 'idle' | 'requesting-token' | 'connecting' | 'live' | 'reconnecting' | 'ended' | 'error';

/** Why a conversation ended: the visitor (or the page) stopped it, the service did, or a limit of the widget. */
export type EndReason = 'stopped' | 'service' | 'idle-timeout' | 'max-duration';

/** How long media may take to arrive after the token before the visitor is told it failed. */
export const CONNECT_TIMEOUT_MS = 25_000;
/**
 * The same for one attempt to carry a lost conversation on, and for a start's media once the microphone
 * is settled: no prompt can be what it waits on, so an attempt stalled this long (a connection that never
 * gets going) gives way to a fresh one.
 */
export const RESUME_CONNECT_TIMEOUT_MS = 10_000;
/** The detail of an attempt that gave way to a fresh one (see RESUME_CONNECT_TIMEOUT_MS). */
const STALLED = 'STALLED';

export interface TranscriptLine {
  id: string;
  role: 'user' | 'persona';
  text: string;
  interrupted: boolean;
  /** False while the persona is still saying it. */
  complete: boolean;
}

/** The parts of the SDK's AnamClient the session uses: the seam the component tests replace. */
export type PersonaClient = Pick<
  AnamClient,
  | 'stream'
  | 'stopStreaming'
  | 'isStreaming'
  | 'talk'
  | 'sendUserMessage'
  | 'interruptPersona'
  | 'muteInputAudio'
  | 'unmuteInputAudio'
  | 'getInputAudioState'
  | 'addListener'
  | 'getActiveSessionId'
  | 'changeAudioInputDevice'
  | 'registerToolCallHandler'
  | 'addContext'
>;
export type ClientFactory = (sessionToken: string, options: Parameters<typeof createClient>[1]) => PersonaClient;

export interface PersonaSessionOptions {
  tokenEndpoint: string;
  persona: string | undefined;
  credentials: RequestCredentials;
  micEnabled: boolean;
  startMuted: boolean;
  /** The microphone to use (chosen earlier on the page); the browser's default when absent. */
  audioDeviceId?: () => string | undefined;
  /** The media elements inside the widget's shadow root: the SDK's by-id lookup cannot reach them. */
  media: { video: HTMLVideoElement; audio: HTMLAudioElement };
  createClient?: ClientFactory;
  fetchToken?: (request: TokenRequest) => Promise<SessionTokenReply>;
  connectTimeoutMs?: number;
  resumeTimeoutMs?: number;
  /** Each new SDK client, before it streams: controllers register tools and listen to it here. */
  onClient?: (client: PersonaClient) => void;
  /** The connection was lost mid-conversation: true when the caller will `resume()` (state `reconnecting`). */
  onConnectionLost?: (error: WidgetError) => boolean;
}

export interface SessionSnapshot {
  state: SessionState;
  error: WidgetError | undefined;
  endedByService: boolean;
  endReason: EndReason | undefined;
  sessionId: string | undefined;
  muted: boolean;
  micBlocked: boolean;
  soundBlocked: boolean;
  transcript: readonly TranscriptLine[];
}

/** Where every widget starts: nothing fetched, nothing said. */
export const IDLE_SNAPSHOT: SessionSnapshot = {
  state: 'idle',
  error: undefined,
  endedByService: false,
  endReason: undefined,
  sessionId: undefined,
  muted: false,
  micBlocked: false,
  soundBlocked: false,
  transcript: [],
};

/** Resolves the first time the client emits `event` (listen before calling stream(): it may come first). */
function signalled(client: PersonaClient, event: (typeof AnamEvent)[keyof typeof AnamEvent]): Promise<void> {
  return new Promise((resolve) => client.addListener(event, () => resolve()));
}

/**
 * One visitor's conversation, as a state machine: idle → requesting-token → connecting → live →
 * ended, or error from any step. Owns the SDK client (a new one per session: an AnamClient reused
 * after stopStreaming() resolves its next stream() with dead streams in SDK 4.27) and touches no
 * DOM but the media elements it is handed. Notifies `onChange` after every change.
 */
export class PersonaSession {
  #snapshot: SessionSnapshot = IDLE_SNAPSHOT;
  #client: PersonaClient | undefined;
  #abort: AbortController | undefined;
  /** Bumped on every start and stop, so late callbacks of an old attempt change nothing. */
  #attempt = 0;

  constructor(
    private readonly options: PersonaSessionOptions,
    private readonly onChange: (snapshot: SessionSnapshot, previous: SessionSnapshot) => void,
  ) {}

  get current(): SessionSnapshot {
    return this.#snapshot;
  }

  /** Starts a conversation; does nothing while one is starting or live (double clicks open one). */
  async start(): Promise<void> {
    if (['requesting-token', 'connecting', 'live', 'reconnecting'].includes(this.#snapshot.state)) return;
    if (!this.options.tokenEndpoint) {
      this.#fail(new WidgetError('MISSING_ENDPOINT', 'no token endpoint'));
      return;
    }
    let attempt = ++this.#attempt;
    this.#abort = new AbortController();
    const { signal } = this.#abort;
    this.#update({
      state: 'requesting-token',
      error: undefined,
      endedByService: false,
      endReason: undefined,
      micBlocked: false,
      soundBlocked: false,
      transcript: [],
      sessionId: undefined,
      muted: this.options.startMuted,
    });
    try {
      void loadSdk().catch(() => undefined); // evaluated while the token is on its way
      const token = await this.#requestToken(signal);
      if (attempt !== this.#attempt) return;
      await loadSdk();
      if (attempt !== this.#attempt) return;
      this.#update({ state: 'connecting' });
      const timeoutMs = this.options.connectTimeoutMs ?? CONNECT_TIMEOUT_MS;
      try {
        await this.#connect(token, attempt, this.options.startMuted, timeoutMs, this.#stallTimeoutMs());
      } catch (error) {
        // Media that stalls once the microphone is settled gives way to one fresh attempt, still "connecting".
        if (!(error instanceof WidgetError && error.detail === STALLED) || attempt !== this.#attempt) throw error;
        attempt = ++this.#attempt;
        await this.#release();
        const fresh = await this.#requestToken(signal);
        if (attempt !== this.#attempt) return;
        await this.#connect(fresh, attempt, this.options.startMuted, timeoutMs);
      }
    } catch (error) {
      if (attempt !== this.#attempt) return;
      this.#fail(error instanceof WidgetError ? error : fromSdkError(error));
    }
  }

  /**
   * One attempt to carry a lost conversation on in a new session (state `reconnecting`): a fresh
   * token, a new client, the same transcript and mute state. Resolves once live; rejects when the
   * attempt failed (the state stays `reconnecting`, for the caller to retry or `giveUp`).
   */
  async resume(): Promise<void> {
    if (this.#snapshot.state !== 'reconnecting') return;
    const attempt = ++this.#attempt;
    this.#abort = new AbortController();
    try {
      const token = await this.#requestToken(this.#abort.signal);
      if (attempt !== this.#attempt) return;
      await this.#connect(token, attempt, this.#snapshot.muted, this.#stallTimeoutMs());
    } catch (error) {
      if (attempt !== this.#attempt) return;
      await this.#release();
      throw error instanceof WidgetError ? error : fromSdkError(error);
    }
  }

  /** Reconnecting did not work: show the error, with Retry. */
  giveUp(error: WidgetError): void {
    if (this.#snapshot.state !== 'reconnecting') return;
    this.#attempt++;
    this.#fail(error);
  }

  /** Ends the conversation and frees everything: fetch, peer connection, microphone. */
  async stop(finalState: 'ended' | 'idle' = 'ended', reason: EndReason = 'stopped'): Promise<void> {
    this.#attempt++;
    this.#abort?.abort(new DOMException('stopped', 'AbortError'));
    this.#abort = undefined;
    const wasActive = !['idle', 'ended', 'error'].includes(this.#snapshot.state);
    await this.#release();
    if (wasActive || finalState === 'idle')
      this.#update({ state: finalState, endReason: finalState === 'ended' ? reason : undefined });
  }

  async talk(text: string): Promise<void> {
    await this.#liveClient().talk(text);
  }

  /** Sends what the visitor typed; their line shows in the transcript straight away. */
  send(text: string): void {
    const client = this.#liveClient();
    client.sendUserMessage(text);
    this.#appendLine({
      id: `user::${Date.now()}::${this.#snapshot.transcript.length}`,
      role: 'user',
      text,
      interrupted: false,
      complete: true,
    });
  }

  interrupt(): void {
    this.#liveClient().interruptPersona();
  }

  /** Moves the live session to another microphone, keeping its muted state. */
  async changeMicrophone(deviceId: string): Promise<void> {
    await this.#liveClient().changeAudioInputDevice(deviceId);
  }

  setMuted(muted: boolean): void {
    if (this.#client && this.#snapshot.state === 'live') {
      const state = muted ? this.#client.muteInputAudio() : this.#client.unmuteInputAudio();
      this.#update({ muted: state.isMuted });
    } else {
      // Before a session, the choice is kept and applied when it starts.
      this.options.startMuted = muted;
      this.#update({ muted });
    }
  }

  /** After the browser blocked autoplay with sound, a tap on "enable sound" calls this. */
  async enableSound(): Promise<void> {
    await this.options.media.audio.play();
    this.#update({ soundBlocked: false });
  }

  #stallTimeoutMs(): number {
    return this.options.resumeTimeoutMs ?? RESUME_CONNECT_TIMEOUT_MS;
  }

  #requestToken(signal: AbortSignal): Promise<SessionTokenReply> {
    return (this.options.fetchToken ?? fetchSessionToken)({
      endpoint: this.options.tokenEndpoint,
      ...(this.options.persona ? { persona: this.options.persona } : {}),
      credentials: this.options.credentials,
      signal,
    });
  }

  /**
   * `stallMs`: how long the media may take once the microphone is settled (allowed, refused, or not asked
   * for), when no prompt can be what it waits on; past it the attempt fails as STALLED.
   */
  async #connect(token: SessionTokenReply, attempt: number, muted: boolean, timeoutMs: number, stallMs?: number): Promise<void> {
    const { createClient } = loadedSdk();
    const factory = this.options.createClient ?? ((sessionToken, options) => createClient(sessionToken, options));
    const client = factory(token.sessionToken, {
      ...(token.apiBaseUrl ? { api: { baseUrl: token.apiBaseUrl } } : {}),
      // No pre-gathered candidates: with the SDK's pool of 2, Chromium now and then (7 of 1,700 starts here)
      // surfaces no local candidate at all and the connection never starts. The SDK makes its offer within
      // milliseconds of the connection, so the pool saves nothing.
      rtcConfiguration: { iceCandidatePoolSize: 0 },
      disableInputAudio: !this.options.micEnabled,
      ...(this.options.micEnabled && this.options.audioDeviceId?.() ? { audioDeviceId: this.options.audioDeviceId() } : {}),
    });
    this.#client = client;
    this.options.onClient?.(client);
    if (this.options.micEnabled && muted) client.muteInputAudio();
    const { video, audio } = this.options.media;
    let connectTimer: ReturnType<typeof setTimeout> | undefined;
    let stallTimer: ReturnType<typeof setTimeout> | undefined;
    const failed = new Promise<never>((_, reject) => {
      if (stallMs !== undefined) {
        const arm = () =>
          (stallTimer ??= setTimeout(() => reject(new WidgetError('CONNECTION_FAILED', 'stalled', STALLED)), stallMs));
        if (!this.options.micEnabled) arm();
        client.addListener(AnamEvent.INPUT_AUDIO_STREAM_STARTED, arm);
        client.addListener(AnamEvent.MIC_PERMISSION_DENIED, arm);
      }
      client.addListener(AnamEvent.CONNECTION_CLOSED, (reason: string) => {
        const error = fromConnectionClosed(reason);
        // Stopped or replaced: the attempt is over now, not at its timeout (start() resolves with the stop).
        if (attempt !== this.#attempt) return reject(new WidgetError('CONNECTION_FAILED', 'superseded', reason));
        if (this.#snapshot.state === 'live') this.#endDuringSession(reason, error);
        else if (error || reason === CONNECTION_CLOSED_BY_SERVER)
          reject(error ?? new WidgetError('CONNECTION_FAILED', 'closed by server', reason));
      });
      connectTimer = setTimeout(() => reject(new WidgetError('CONNECTION_FAILED', 'timed out', 'TIMEOUT')), timeoutMs);
    });
    failed.catch(() => undefined); // settled by the race below, or too late to matter
    client.addListener(AnamEvent.VIDEO_STREAM_STARTED, (stream: MediaStream) => {
      video.srcObject = stream;
      void video.play().catch(() => undefined);
    });
    client.addListener(AnamEvent.AUDIO_STREAM_STARTED, (stream: MediaStream) => {
      audio.srcObject = stream;
      audio.play().catch(() => {
        if (attempt === this.#attempt) this.#update({ soundBlocked: true });
      });
    });
    client.addListener(AnamEvent.MIC_PERMISSION_DENIED, () => {
      // Text still works: tell the visitor and carry on rather than ending the session.
      if (attempt === this.#attempt) this.#update({ micBlocked: true });
    });
    client.addListener(AnamEvent.MESSAGE_STREAM_EVENT_RECEIVED, (event) => {
      if (attempt !== this.#attempt) return;
      this.#receiveCaption(event);
    });
    // stream() resolves when the tracks arrive, before the data channel opens: a message sent then
    // is dropped by the SDK. Live means the persona can hear text, so wait for the channel and the
    // engine's own "ready" too.
    const ready = Promise.all([
      client.stream(),
      signalled(client, AnamEvent.DATA_CHANNEL_OPEN),
      signalled(client, AnamEvent.SESSION_READY),
    ]);
    try {
      await Promise.race([ready, failed]);
    } finally {
      clearTimeout(connectTimer);
      clearTimeout(stallTimer);
    }
    if (attempt !== this.#attempt) return;
    this.#update({
      state: 'live',
      sessionId: client.getActiveSessionId() ?? undefined,
      muted: this.options.micEnabled ? client.getInputAudioState().isMuted : true,
    });
  }

  #receiveCaption(event: { id: string; content: string; role: string; endOfSpeech: boolean; interrupted: boolean }): void {
    if (event.role !== 'persona' && event.role !== 'user') return;
    const transcript = [...this.#snapshot.transcript];
    const index = transcript.findIndex((line) => line.id === event.id);
    if (index === -1) {
      transcript.push({
        id: event.id,
        role: event.role,
        text: event.content,
        interrupted: event.interrupted,
        complete: event.endOfSpeech,
      });
    } else {
      const line = transcript[index]!;
      transcript[index] = {
        ...line,
        text: line.text + event.content,
        interrupted: line.interrupted || event.interrupted,
        complete: event.endOfSpeech,
      };
    }
    this.#update({ transcript });
  }

  #appendLine(line: TranscriptLine): void {
    this.#update({ transcript: [...this.#snapshot.transcript, line] });
  }

  #endDuringSession(reason: string, error: WidgetError | undefined): void {
    this.#attempt++;
    void this.#release();
    if (error?.code === 'CONNECTION_LOST' && this.options.onConnectionLost?.(error))
      this.#update({ state: 'reconnecting', sessionId: undefined });
    else if (error) this.#fail(error);
    else {
      const byService = reason === CONNECTION_CLOSED_BY_SERVER;
      this.#update({
        state: 'ended',
        endedByService: byService,
        endReason: byService ? 'service' : 'stopped',
      });
    }
  }

  #fail(error: WidgetError): void {
    void this.#release();
    this.#update({ state: 'error', error });
  }

  async #release(): Promise<void> {
    const client = this.#client;
    this.#client = undefined;
    const { video, audio } = this.options.media;
    video.srcObject = null;
    audio.srcObject = null;
    if (!client) return;
    const stopClient = () => {
      if (this.options.micEnabled) stopMicrophoneGrantedLate(client);
      return client.stopStreaming().catch(() => undefined);
    };
    if (!client.isStreaming()) stopSessionStartedLate(client, () => void stopClient());
    await stopClient();
  }

  #liveClient(): PersonaClient {
    if (!this.#client || this.#snapshot.state !== 'live') throw new Error('anam-persona: no live session');
    return this.#client;
  }

  #update(change: Partial<SessionSnapshot>): void {
    const previous = this.#snapshot;
    this.#snapshot = { ...previous, ...change };
    this.onChange(this.#snapshot, previous);
  }
}
