import { AnamEvent } from './anam-sdk.ts';
import type { ReactiveController, ReactiveControllerHost } from 'lit';
import type { PersonaClient, SessionState } from './persona-session.ts';

/** What the persona is doing in a live conversation; empty when there is none. */
export type Activity = '' | 'listening' | 'thinking' | 'speaking';

/** A persona that never answers must not look like it is thinking for ever. */
export const THINKING_TIMEOUT_MS = 15_000;

/**
 * The persona's live activity, from the SDK's speech, caption and interruption events and from the
 * messages the visitor sends: listening → (visitor done) thinking → speaking → listening.
 * `onChange` is called on every change of `activity`, `onHeard` on everything said, sent or interrupted
 * (the idle timer's signal, with `visitorSpeaking`).
 */
export class ActivityController implements ReactiveController {
  activity: Activity = '';
  /** The visitor is speaking: from the SDK's user speech start to its end. */
  visitorSpeaking = false;
  #client: PersonaClient | undefined;
  #thinkingTimer: ReturnType<typeof setTimeout> | undefined;

  constructor(
    private readonly host: ReactiveControllerHost & { readonly state: SessionState },
    private readonly onChange: (activity: Activity) => void,
    private readonly onHeard: () => void,
  ) {
    host.addController(this);
  }

  hostUpdate(): void {
    if (this.host.state !== 'live') this.#set('');
    else if (this.activity === '') this.#set('listening');
  }

  hostDisconnected(): void {
    clearTimeout(this.#thinkingTimer);
  }

  /** The visitor sent a message: the persona works out its answer. */
  visitorSent(): void {
    this.#hear('thinking');
  }

  attach(client: PersonaClient): void {
    this.#client = client;
    const follow = (activity: Activity, visitorSpeaking?: boolean) => () => {
      if (client === this.#client) this.#hear(activity, visitorSpeaking);
    };
    client.addListener(AnamEvent.USER_SPEECH_STARTED, follow('listening', true));
    client.addListener(AnamEvent.USER_SPEECH_ENDED, follow('thinking', false));
    client.addListener(AnamEvent.TALK_STREAM_INTERRUPTED, follow('listening'));
    client.addListener(AnamEvent.MESSAGE_STREAM_EVENT_RECEIVED, (event) => {
      if (client !== this.#client) return;
      // The visitor's own caption changes nothing the persona does, but it is something said.
      if (event.role === 'persona') this.#hear(event.endOfSpeech ? 'listening' : 'speaking');
      else this.#hear();
    });
  }

  /** Something happened in the conversation; events racing a stop change nothing. */
  #hear(activity?: Activity, visitorSpeaking = this.visitorSpeaking): void {
    if (this.host.state !== 'live') return;
    this.visitorSpeaking = visitorSpeaking;
    if (activity) this.#set(activity);
    this.onHeard();
  }

  #set(activity: Activity): void {
    // Only a live conversation has an activity.
    const next = this.host.state === 'live' ? activity : '';
    if (!next) this.visitorSpeaking = false;
    clearTimeout(this.#thinkingTimer);
    if (next === 'thinking') this.#thinkingTimer = setTimeout(() => this.#set('listening'), THINKING_TIMEOUT_MS);
    if (next === this.activity) return;
    this.activity = next;
    this.onChange(next);
    this.host.requestUpdate();
  }
}
