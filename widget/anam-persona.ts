import { html, LitElement, nothing, type PropertyValues } from 'lit';
import { ActivityController, type Activity } from './activity-controller.ts';
import { hostStyles, styles } from './anam-persona.styles.ts';
import { systemClock, type Clock } from './clock.ts';
import { ConsentController, safePolicyUrl } from './consent-controller.ts';
import { consentView } from './consent-view.ts';
import { DurationController } from './duration-controller.ts';
import { FeedbackController, type FeedbackDetail } from './feedback-controller.ts';
import { feedbackView } from './feedback-view.ts';
import { ContextController } from './context-controller.ts';
import { icons } from './icons.ts';
import { IDLE_GRACE_MS, IdleController } from './idle-controller.ts';
import { MicChoiceController } from './mic-choice-controller.ts';
import { micChoiceView } from './mic-choice-view.ts';
import { resolveLabels, type Labels } from './labels.ts';
import {
  IDLE_SNAPSHOT,
  PersonaSession,
  type ClientFactory,
  type EndReason,
  type SessionSnapshot,
  type SessionState,
  type TranscriptLine,
} from './persona-session.ts';
import {
  composerView,
  controlsView,
  noticesView,
  overlayView,
  rowShellsView,
  statusText,
  transcriptView,
  type ViewContext,
} from './session-views.ts';
import { disclosureView, posterView } from './stage-views.ts';
import { durationNoticeView, idlePromptView } from './time-limit-views.ts';
import { FocusController } from './focus-controller.ts';
import { ownerHint } from './owner-hints.ts';
import { ReconnectController } from './reconnect-controller.ts';
import { createSessionMedia, type SessionMedia } from './session-media.ts';
import { ToolsController, type ToolCall, type ToolHandler, type ToolResult } from './tools-controller.ts';
import { describeError, type WidgetErrorCode } from './widget-error.ts';

export type { SessionState } from './persona-session.ts';
export type { Activity } from './activity-controller.ts';
export type { ToolCall, ToolHandler, ToolResult } from './tools-controller.ts';
export type Layout = 'inline' | 'floating';
export type FloatingPosition = 'bottom-right' | 'bottom-left' | 'top-right' | 'top-left';

export interface AnamPersonaErrorDetail {
  code: WidgetErrorCode;
  message: string;
  /** The token server's or the SDK's own code, for logs. */
  detail?: string;
  retryAfterSeconds?: number;
}

/** The component's own events bubble and cross the shadow boundary, so a page can listen anywhere. */
function componentEvent<K extends keyof AnamPersonaEventMap>(type: K, detail: AnamPersonaEventMap[K]['detail']): CustomEvent {
  return new CustomEvent(type, { detail, bubbles: true, composed: true });
}

/** Widgets on this page, so `exclusive` can stop the others. */
const widgetsOnPage = new Set<AnamPersona>();

const labelsConverter = {
  fromAttribute(value: string | null): Partial<Labels> | undefined {
    if (!value) return undefined;
    try {
      return JSON.parse(value) as Partial<Labels>;
    } catch {
      console.warn('<anam-persona>: the labels attribute is not valid JSON; using the default labels.');
      return undefined;
    }
  },
};

/**
 * @summary A live, talking Anam persona: video, voice, captions, text and microphone controls.
 *
 * @attr data-token-endpoint - URL of the site's token endpoint (POST). Also `token-endpoint`.
 *
 * @event anam-persona-state - The session moved to a new state. detail: { state, reason? } (reason: why it ended)
 * @event anam-persona-consent - The visitor answered the consent panel. detail: { accepted }
 * @event anam-persona-feedback - The visitor rated the conversation. detail: { sessionId, rating, comment? }
 * @event anam-persona-ready - The persona is live: video plays, and it hears speech and send() (its data channel is open). detail: { sessionId }
 * @event anam-persona-message - The transcript changed. detail: { message, transcript }
 * @event anam-persona-error - Starting or running the session failed. detail: { code, message, detail?, retryAfterSeconds? }
 * @event anam-persona-tool-call - The persona called a tool (client or not). detail: { id, name, arguments, toolType }
 * @event anam-persona-tool-result - A tool call's outcome. detail: { id, name, result?, error? }
 * @event anam-persona-activity - The persona started listening, thinking or speaking, or the conversation stopped. detail: { activity }
 *
 * @csspart panel - The panel holding stage, controls and transcript.
 * @csspart stage - The box around the video and its overlays.
 * @csspart video - The persona's video (on the stage from the first start).
 * @csspart overlay - The start, connecting, ended and error views over the video.
 * @csspart controls - The row of session controls.
 * @csspart button - Every button.
 * @csspart start - The Start (and Start again) button.
 * @csspart retry - The Retry button of the error view.
 * @csspart mute - The microphone toggle.
 * @csspart interrupt - The Interrupt button, shown while the persona speaks.
 * @csspart stop - The End conversation button.
 * @csspart cancel - The Cancel button while a conversation is being set up.
 * @csspart send - The Send button.
 * @csspart transcript - The captions and conversation transcript.
 * @csspart composer - The message box and its Send button.
 * @csspart input - The message text box.
 * @csspart launcher - The floating layout's launcher bubble.
 * @csspart consent - The consent panel shown before the first Start.
 * @csspart consent-accept - The consent panel's Accept button.
 * @csspart consent-decline - The consent panel's Decline button.
 * @csspart consent-link - The link to the site's policy.
 * @csspart disclosure - The "AI" badge shown while live.
 * @csspart poster - The persona's picture on the stage before and after a conversation.
 * @csspart launcher-face - The poster as the floating launcher's round face.
 * @csspart idle-prompt - "Are you still there?" over the stage.
 * @csspart idle-continue - Its Continue button.
 * @csspart time-notice - The notice shortly before max-duration ends the conversation.
 * @csspart mic-select - The menu beside the mute control to pick a microphone (when there are several).
 * @csspart feedback - "Was this helpful?" after a conversation.
 * @csspart feedback-up - The thumbs-up button.
 * @csspart feedback-down - The thumbs-down button.
 * @csspart feedback-comment - The optional comment box.
 * @csspart feedback-send - The Send feedback button.
 * @csspart activity - The chip on the stage saying whether the persona listens, thinks or speaks.
 *
 * @cssproperty --anam-persona-accent - Colour of the primary controls.
 * @cssproperty --anam-persona-accent-text - Text colour on the accent colour.
 * @cssproperty --anam-persona-surface - Background of the panel.
 * @cssproperty --anam-persona-text - Text colour.
 * @cssproperty --anam-persona-muted - Colour of secondary text.
 * @cssproperty --anam-persona-border - Colour of borders.
 * @cssproperty --anam-persona-danger - Colour of errors and the muted state.
 * @cssproperty --anam-persona-radius - Corner radius of the panel.
 * @cssproperty --anam-persona-stage - Background behind the video.
 * @cssproperty --anam-persona-focus - Colour of the keyboard focus ring.
 * @cssproperty --anam-persona-font - Font family.
 * @cssproperty --anam-persona-font-size - Base font size.
 * @cssproperty --anam-persona-aspect-ratio - Aspect ratio of the video stage (default 16 / 9).
 * @cssproperty --anam-persona-video-fit - object-fit of the video (default contain).
 * @cssproperty --anam-persona-transcript-height - Height kept for the transcript (it scrolls inside).
 * @cssproperty --anam-persona-z-index - Stacking order of the floating layout.
 * @cssproperty --anam-persona-offset - Distance of the floating launcher from the corner.
 */
export class AnamPersona extends LitElement {
  static override styles = [hostStyles, styles];

  static override properties = {
    tokenEndpoint: { attribute: 'token-endpoint' },
    persona: {},
    layout: { reflect: true },
    position: { reflect: true },
    autostart: { type: Boolean },
    mic: {},
    startMuted: { type: Boolean, attribute: 'start-muted' },
    transcript: { type: Boolean },
    lang: {},
    labels: { converter: labelsConverter },
    tokenCredentials: { attribute: 'token-credentials' },
    exclusive: { type: Boolean },
    open: { type: Boolean, reflect: true },
    consent: { type: Boolean },
    consentUrl: { attribute: 'consent-url' },
    consentKey: { attribute: 'consent-key' },
    disclosure: {},
    poster: {},
    idleTimeout: { type: Number, attribute: 'idle-timeout' },
    maxDuration: { type: Number, attribute: 'max-duration' },
    feedback: { type: Boolean },
    context: {},
  };

  /** URL of the token endpoint; `data-token-endpoint` is read when this is empty. */
  declare tokenEndpoint: string;
  /** Name of a server-side persona preset, sent to the token endpoint. */
  declare persona: string;
  /** `inline` fills its box; `floating` is a launcher bubble that opens a panel. */
  declare layout: Layout;
  /** Corner of the floating launcher. */
  declare position: FloatingPosition;
  /** Start as soon as the element is on the page (otherwise nothing is fetched until the visitor acts). */
  declare autostart: boolean;
  /** `off` for text-only visitors: the microphone is never asked for. */
  declare mic: 'on' | 'off';
  /** Join with the microphone muted. */
  declare startMuted: boolean;
  /** Show captions and the conversation transcript. */
  declare transcript: boolean;
  /** Language of the built-in labels (en, fr, de, es); the page's language when not set. */
  declare lang: string;
  /** Replacements for any visible string, as JSON in the attribute. */
  declare labels: Partial<Labels> | undefined;
  /** `include` sends cookies to a token endpoint on another origin. */
  declare tokenCredentials: 'same-origin' | 'include';
  /** Starting this widget stops the others on the page. */
  declare exclusive: boolean;
  /** Whether the floating panel is open. */
  declare open: boolean;
  /** Ask for consent before the first Start; nothing is fetched until the visitor accepts. */
  declare consent: boolean;
  /** The site's policy page, linked from the consent panel (opens in a new tab). */
  declare consentUrl: string;
  /** Name under which an acceptance is remembered in localStorage; change it to ask again. */
  declare consentKey: string;
  /** `off` removes the "AI" badge shown while live. */
  declare disclosure: 'on' | 'off';
  /** Image URL of the persona's face: shown before and after a conversation, and on the floating launcher. */
  declare poster: string;
  /** Seconds without speech or typing before "Are you still there?" (then 15 s to answer); 0 = never. */
  declare idleTimeout: number;
  /** Longest a conversation may last, in seconds; 0 = no limit. */
  declare maxDuration: number;
  /** Ask "Was this helpful?" when a conversation ends. */
  declare feedback: boolean;
  /** What the persona should know about the page (plain text, at most 4096 characters), sent to every session. */
  declare context: string;
  /** The session as last reported; a change re-renders (see handleSessionChange). */
  #snapshot: SessionSnapshot = IDLE_SNAPSHOT;

  /** Replaces the SDK's createClient: for tests only. @internal */
  clientFactory: ClientFactory | undefined;
  /** How long media may take to arrive: for tests only. @internal */
  connectTimeoutMs: number | undefined;
  /** How long one reconnect attempt may take: for tests only. @internal */
  reconnectTimeoutMs: number | undefined;
  #session: PersonaSession | undefined;
  /** The persona's video and audio, made with the first session (see session-media.ts). */
  #media: SessionMedia | undefined;
  /**
   * Whether the live controls, transcript and composer are made: from the first time a session is live on
   * (shells keep their place before), so making them never delays the first token or session request.
   */
  #liveRowsMade = false;
  #lastAnnouncedError: unknown;
  #policyUrl: string | undefined;
  /** How long "Are you still there?" waits: for tests only. @internal */
  idleGraceMs: number | undefined;
  /** Replaces the clock of the idle and duration timers: for tests only. @internal */
  clock: Clock | undefined;
  readonly #idle = new IdleController(this, {
    timeoutSeconds: () => this.idleTimeout,
    graceMs: () => this.idleGraceMs ?? IDLE_GRACE_MS,
    live: () => this.state === 'live',
    busy: () => this.#activityTracker.visitorSpeaking || this.activity === 'speaking',
    onTimeout: () => void this.#session?.stop('ended', 'idle-timeout'),
    clock: () => this.clock ?? systemClock,
  });
  readonly #feedbackPrompt = new FeedbackController(this, {
    enabled: () => this.feedback,
    read: () => ({ state: this.state, sessionId: this.sessionId }),
    onFeedback: (detail) => this.#emit('anam-persona-feedback', detail),
  });
  readonly #micChoice = new MicChoiceController(this, {
    usable: () => this.state === 'live' && this.mic !== 'off' && !this.#snapshot.micBlocked,
    change: (deviceId) => this.#ensureSession().changeMicrophone(deviceId),
  });
  readonly #duration = new DurationController(this, {
    limitSeconds: () => this.maxDuration,
    live: () => this.state === 'live',
    onLimit: () => void this.#session?.stop('ended', 'max-duration'),
    clock: () => this.clock ?? systemClock,
  });
  private readonly keyboardFocus = new FocusController(this, {
    closable: () => this.layout === 'floating' && this.open,
    close: () => this.#closePanel(),
  });
  readonly #consentGate = new ConsentController(this, {
    required: () => this.consent,
    key: () => this.consentKey,
    onDecision: (accepted) => this.#handleConsent(accepted),
  });
  readonly #tools = new ToolsController(this, {
    call: (call) => this.#emit('anam-persona-tool-call', call),
    result: (result) => this.#emit('anam-persona-tool-result', result),
  });
  readonly #pageContext = new ContextController(this);
  readonly #activityTracker = new ActivityController(
    this,
    (activity) => this.#emit('anam-persona-activity', { activity }),
    () => this.#idle.activity(),
  );
  readonly #reconnect = new ReconnectController(
    this,
    () => this.#session,
    (summary) => this.#pageContext.restoreWith(summary),
  );

  constructor() {
    super();
    this.tokenEndpoint = '';
    this.persona = '';
    this.layout = 'inline';
    this.position = 'bottom-right';
    this.autostart = false;
    this.mic = 'on';
    this.startMuted = false;
    this.transcript = false;
    this.lang = '';
    this.labels = undefined;
    this.tokenCredentials = 'same-origin';
    this.exclusive = false;
    this.open = false;
    this.consent = false;
    this.consentUrl = '';
    this.consentKey = 'default';
    this.disclosure = 'on';
    this.poster = '';
    this.idleTimeout = 180;
    this.maxDuration = 0;
    this.feedback = false;
    this.context = '';
  }

  /** Where the session is: idle, requesting-token, connecting, live, ended or error. */
  get state(): SessionState {
    return this.#snapshot.state;
  }

  /** The live session's id, once it is live. */
  get sessionId(): string | undefined {
    return this.#snapshot.sessionId;
  }

  /** Whether the visitor's microphone is muted. */
  get muted(): boolean {
    return this.#snapshot.muted;
  }

  /** What the persona is doing: listening, thinking or speaking; empty when not live. */
  get activity(): Activity {
    return this.#activityTracker.activity;
  }

  /**
   * Lets the persona call a client tool declared in its preset: `handler(args, call)` runs in the
   * page, and what it returns (JSON unless a string) goes back to the persona; a throw is a failure.
   * Works before or during a session. Returns a function that unregisters the tool.
   */
  registerTool(name: string, handler: ToolHandler): () => void {
    return this.#tools.register(name, handler);
  }

  /** Tells the live persona more about the page or the visitor (plain text, at most 4096 characters). */
  addContext(text: string): void {
    this.#pageContext.add(text);
  }

  /** Starts a conversation (a no-op while one is starting or live). */
  async start(): Promise<void> {
    await this.updateComplete;
    if (this.layout === 'floating') this.open = true;
    if (['requesting-token', 'connecting', 'live'].includes(this.state)) return;
    if (!this.#consentGate.granted()) {
      this.#consentGate.ask();
      await this.updateComplete;
      this.renderRoot.querySelector<HTMLElement>('.consent')?.focus();
      return;
    }
    await this.#beginSession();
  }

  async #beginSession(): Promise<void> {
    if (this.exclusive) for (const other of widgetsOnPage) if (other !== this) void other.stop();
    await this.#ensureSession().start();
  }

  /** Ends the conversation and releases the microphone. */
  async stop(): Promise<void> {
    await this.#session?.stop();
  }

  /** Makes the persona say exactly this text. */
  async talk(text: string): Promise<void> {
    await this.#ensureSession().talk(text);
  }

  /** Sends a message as the visitor; the persona replies. */
  send(text: string): void {
    this.#ensureSession().send(text);
    this.#activityTracker.visitorSent();
  }

  /** Mutes the visitor's microphone (before a session: joins muted). */
  mute(): void {
    this.#ensureSession().setMuted(true);
  }

  /** Unmutes the visitor's microphone. */
  unmute(): void {
    this.#ensureSession().setMuted(false);
  }

  /** Stops the persona mid-sentence. */
  interrupt(): void {
    this.#ensureSession().interrupt();
  }

  override connectedCallback(): void {
    super.connectedCallback();
    widgetsOnPage.add(this);
    if (this.autostart) {
      void this.updateComplete.then(async () => {
        if (this.isConnected) await this.start();
      });
    }
  }

  override disconnectedCallback(): void {
    super.disconnectedCallback();
    widgetsOnPage.delete(this);
    // Leaving the page mid-connect or mid-session must not leave a peer connection or a mic open.
    void this.#session?.stop('idle');
    this.#session = undefined;
  }

  protected override firstUpdated(): void {
    // Told at load, not at the first click: a Start that cannot work is worse than saying why.
    if (!this.#endpoint) void this.#ensureSession().start();
  }

  protected override willUpdate(changed: PropertyValues<this>): void {
    if (this.#snapshot.state === 'live') this.#liveRowsMade = true;
    if (changed.has('tokenEndpoint') && this.#session && ['idle', 'ended', 'error'].includes(this.state)) {
      // The session holds the endpoint it was made with: a new one (set late, by a framework) starts afresh.
      this.#session = undefined;
      this.#snapshot = IDLE_SNAPSHOT;
      if (!this.#endpoint) void this.updateComplete.then(() => this.#ensureSession().start());
    }
    if (changed.has('consentUrl')) this.#policyUrl = safePolicyUrl(this.consentUrl);
    if (changed.has('context')) this.#pageContext.setPageContext(this.context);
    if (changed.has('startMuted') && this.#session && this.#snapshot.state !== 'live') this.#session.setMuted(this.startMuted);
  }

  protected override updated(changed: PropertyValues): void {
    if (this.getAttribute('state') !== this.#snapshot.state) this.setAttribute('state', this.#snapshot.state);
    if (this.activity) this.setAttribute('activity', this.activity);
    else this.removeAttribute('activity');
    if (changed.has('snapshot')) this.renderRoot.querySelector('.transcript')?.scrollTo({ top: 1e9 });
    if (changed.has('lang') || changed.has('labels')) this.#media?.video.setAttribute('aria-label', this.#resolvedLabels.video);
  }

  get #endpoint(): string {
    return this.tokenEndpoint || this.dataset['tokenEndpoint'] || '';
  }

  get #resolvedLabels(): Labels {
    return resolveLabels(this.lang || document.documentElement.lang || 'en', this.labels);
  }

  #ensureSession(): PersonaSession {
    if (!this.#session) {
      if (!this.#media) {
        this.#media = createSessionMedia(this.#resolvedLabels.video);
        this.requestUpdate();
      }
      this.#session = new PersonaSession(
        {
          tokenEndpoint: this.#endpoint,
          persona: this.persona || undefined,
          credentials: this.tokenCredentials === 'include' ? 'include' : 'same-origin',
          micEnabled: this.mic !== 'off',
          startMuted: this.startMuted,
          audioDeviceId: () => MicChoiceController.remembered,
          media: this.#media,
          ...(this.clientFactory ? { createClient: this.clientFactory } : {}),
          ...(this.connectTimeoutMs ? { connectTimeoutMs: this.connectTimeoutMs } : {}),
          ...(this.reconnectTimeoutMs ? { resumeTimeoutMs: this.reconnectTimeoutMs } : {}),
          onClient: (client) => {
            this.#tools.attach(client);
            this.#pageContext.attach(client);
            this.#activityTracker.attach(client);
          },
          onConnectionLost: this.#reconnect.handleConnectionLost,
        },
        (snapshot, previous) => this.#handleSessionChange(snapshot, previous),
      );
    }
    return this.#session;
  }

  #handleSessionChange(snapshot: SessionSnapshot, previous: SessionSnapshot): void {
    this.#snapshot = snapshot;
    this.requestUpdate('snapshot', previous);
    if (snapshot.state !== previous.state) {
      this.#emit(
        'anam-persona-state',
        snapshot.state === 'ended' ? { state: 'ended', reason: snapshot.endReason ?? 'stopped' } : { state: snapshot.state },
      );
      if (snapshot.state === 'live') this.#emit('anam-persona-ready', { sessionId: snapshot.sessionId });
    }
    if (snapshot.transcript !== previous.transcript) {
      const message = snapshot.transcript.at(-1);
      if (message) this.#emit('anam-persona-message', { message, transcript: snapshot.transcript });
    }
    const { error } = snapshot;
    if (error && error !== this.#lastAnnouncedError) {
      this.#lastAnnouncedError = error;
      const detail: AnamPersonaErrorDetail = { code: error.code, message: describeError(error, this.#resolvedLabels) };
      if (error.detail) detail.detail = error.detail;
      if (error.retryAfterSeconds !== undefined) detail.retryAfterSeconds = error.retryAfterSeconds;
      this.#emit('anam-persona-error', detail);
      const hint = ownerHint(error, this.#endpoint && new URL(this.#endpoint, document.baseURI).href, location.origin);
      if (hint) console.error(hint);
    }
  }

  #emit<K extends keyof AnamPersonaEventMap>(type: K, detail: AnamPersonaEventMap[K]['detail']): void {
    this.dispatchEvent(componentEvent(type, detail));
  }

  #handleConsent(accepted: boolean): void {
    this.#emit('anam-persona-consent', { accepted });
    // Straight on, not through start(): where storage is blocked the acceptance holds for this Start only.
    if (accepted) void this.#beginSession();
    else
      void this.updateComplete.then(() =>
        this.renderRoot.querySelector<HTMLElement>('[part~="start"], [part~="retry"]')?.focus(),
      );
  }

  /** Typing counts as presence for the idle timer, before anything is sent. */
  #handleTyping = () => this.#idle.activity();

  #handleToggleOpen = () => {
    this.open = !this.open;
    if (this.open) void this.updateComplete.then(() => this.renderRoot.querySelector<HTMLElement>('.panel button')?.focus());
  };
  #closePanel(): void {
    this.open = false;
    void this.updateComplete.then(() => this.renderRoot.querySelector<HTMLElement>('.launcher')?.focus());
  }
  #handleSubmit(event: SubmitEvent): void {
    event.preventDefault();
    const input = this.renderRoot.querySelector<HTMLInputElement>('.composer input');
    const text = input?.value.trim();
    if (!input || !text) return;
    this.send(text);
    input.value = '';
  }

  readonly #viewHandlers: ViewContext['on'] = {
    start: () => void this.start(),
    stop: () => void this.stop(),
    cancel: () => void this.#session?.stop('idle'),
    interrupt: () => this.interrupt(),
    toggleMute: () => (this.muted ? this.unmute() : this.mute()),
    enableSound: () => void this.#session?.enableSound(),
    submit: (event) => this.#handleSubmit(event),
  };

  protected override render() {
    const labels = this.#resolvedLabels;
    const floating = this.layout === 'floating';
    // A conversation's transcript stays readable below the view that replaced it: reconnecting, ended or failed.
    const kept =
      this.transcript &&
      ['reconnecting', 'ended', 'error'].includes(this.state) &&
      this.#snapshot.transcript.some((line) => line.text.trim());
    const view: ViewContext = {
      snapshot: this.#snapshot,
      activity: this.activity,
      labels,
      micEnabled: this.mic !== 'off',
      showTranscript: this.transcript,
      micMenu: micChoiceView(this.#micChoice, labels),
      feedback: feedbackView(this.#feedbackPrompt, labels),
      on: this.#viewHandlers,
    };
    return html`<div class="root">
      ${
        floating
          ? html`<button
              part="launcher button"
              class="launcher"
              aria-expanded=${this.open ? 'true' : 'false'}
              aria-controls="panel"
              aria-label=${this.open ? labels.close : labels.openLauncher}
              @click=${this.#handleToggleOpen}
            >
              ${
                this.open
                  ? icons.close
                  : this.poster
                    ? html`<img part="launcher-face" class="launcher-face" src=${this.poster} alt="" />`
                    : icons.chat
              }
            </button>`
          : nothing
      }
      <section
        part="panel"
        id="panel"
        class="panel"
        aria-label=${labels.title}
        ?hidden=${floating && !this.open}
        tabindex="-1"
        @input=${this.#handleTyping}
      >
        ${
          floating
            ? html`<div class="panel-header">
                <span>${labels.title}</span
                ><button part="button" aria-label=${labels.close} @click=${this.#handleToggleOpen}>${icons.close}</button>
              </div>`
            : nothing
        }
        <div class="frame ${this.state === 'live' ? '' : kept ? 'off kept' : 'off'}">
          <div part="stage" class="stage">
            ${this.#media ? [this.#media.video, this.#media.audio] : nothing} ${posterView(this.poster, this.state, labels)}
            ${
              this.#consentGate.asking
                ? consentView({
                    labels,
                    policyUrl: this.#policyUrl,
                    accept: () => this.#consentGate.accept(),
                    decline: () => this.#consentGate.decline(),
                  })
                : overlayView(view)
            }
            ${idlePromptView(this.#idle.prompting, labels, () => this.#idle.continue())}
            ${durationNoticeView(this.#duration.noticeSeconds, labels)}
            ${disclosureView(this.disclosure !== 'off', this.state, labels)} ${noticesView(view)}
          </div>
          ${
            this.#liveRowsMade
              ? html`${controlsView(view)} ${transcriptView(view)} ${composerView(view)}`
              : rowShellsView(view.showTranscript)
          }
        </div>
        <p class="visually-hidden" role="status">${statusText(view)}</p>
      </section>
    </div> `;
  }
}

export interface AnamPersonaEventMap {
  'anam-persona-state': CustomEvent<{ state: SessionState; reason?: EndReason }>;
  'anam-persona-consent': CustomEvent<{ accepted: boolean }>;
  'anam-persona-feedback': CustomEvent<FeedbackDetail>;
  'anam-persona-ready': CustomEvent<{ sessionId: string | undefined }>;
  'anam-persona-message': CustomEvent<{ message: TranscriptLine; transcript: readonly TranscriptLine[] }>;
  'anam-persona-error': CustomEvent<AnamPersonaErrorDetail>;
  'anam-persona-tool-call': CustomEvent<ToolCall>;
  'anam-persona-tool-result': CustomEvent<ToolResult>;
  'anam-persona-activity': CustomEvent<{ activity: Activity }>;
}

declare global {
  interface HTMLElementEventMap extends AnamPersonaEventMap {}
  interface HTMLElementTagNameMap {
    'anam-persona': AnamPersona;
  }
}
