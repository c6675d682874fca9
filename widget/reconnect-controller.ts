import type { ReactiveController, ReactiveControllerHost } from 'lit';
import type { PersonaSession, TranscriptLine } from './persona-session.ts';
import { WidgetError } from './widget-error.ts';

/** Waits before each attempt to carry a lost conversation on: at most two attempts, backing off. */
export const RECONNECT_DELAYS_MS = [300, 2000];
/** A reconnected session that stays up this long has recovered; a later loss gets fresh attempts. */
export const RECONNECT_STABLE_MS = 30_000;
/** How much of the conversation a new session is told, so the persona can carry on. */
const SUMMARY_LINES = 12;
const SUMMARY_LINE_CHARS = 240;

/**
 * Carries a conversation over a lost connection: when the session reports the loss, tries a new
 * session (fresh token) after a short wait, then once more after a longer one, then gives up with
 * the error. A resumed session is told the conversation so far; the transcript stays on screen.
 */
export class ReconnectController implements ReactiveController {
  #timer: ReturnType<typeof setTimeout> | undefined;
  #attemptsLeft = RECONNECT_DELAYS_MS.length;
  #resumedAt = 0;

  constructor(
    host: ReactiveControllerHost,
    private readonly session: () => PersonaSession | undefined,
    /** Has the summary sent to the resumed session as soon as it can take it. */
    private readonly restoreWith: (summary: string) => void,
  ) {
    host.addController(this);
  }

  hostDisconnected(): void {
    clearTimeout(this.#timer);
  }

  /** PersonaSession's `onConnectionLost`: true, as it will reconnect if any attempt is left. */
  readonly handleConnectionLost = (error: WidgetError): boolean => {
    if (Date.now() - this.#resumedAt > RECONNECT_STABLE_MS) this.#attemptsLeft = RECONNECT_DELAYS_MS.length;
    if (this.#attemptsLeft === 0) return false;
    this.#schedule(error);
    return true;
  };

  #schedule(lastError: WidgetError): void {
    const delay = RECONNECT_DELAYS_MS[RECONNECT_DELAYS_MS.length - this.#attemptsLeft] ?? 0;
    this.#attemptsLeft--;
    clearTimeout(this.#timer);
    this.#timer = setTimeout(() => void this.#attempt(lastError), delay);
  }

  async #attempt(lastError: WidgetError): Promise<void> {
    const session = this.session();
    if (session?.current.state !== 'reconnecting') return;
    const summary = summarize(session.current.transcript);
    if (summary) this.restoreWith(summary);
    try {
      await session.resume();
    } catch (error) {
      // A specific reason (rate limited, sign-in needed) helps the visitor; a failed connect says no more than the loss.
      const failure = error instanceof WidgetError && error.code !== 'CONNECTION_FAILED' ? error : lastError;
      if (this.#attemptsLeft > 0) this.#schedule(failure);
      else session.giveUp(failure);
      return;
    }
    if (isLive(session)) this.#resumedAt = Date.now();
  }
}

function isLive(session: PersonaSession): boolean {
  return session.current.state === 'live';
}

/** The last lines of the conversation, short, for a new session's context. */
export function summarize(transcript: readonly TranscriptLine[]): string {
  const lines = transcript
    .filter((line) => line.text.trim() !== '')
    .slice(-SUMMARY_LINES)
    .map((line) => `${line.role === 'user' ? 'Visitor' : 'You'}: ${line.text.trim().slice(0, SUMMARY_LINE_CHARS)}`);
  if (lines.length === 0) return '';
  return `The connection dropped and this is a new session. The conversation so far:\n${lines.join('\n')}`;
}
