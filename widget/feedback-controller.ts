import type { ReactiveController, ReactiveControllerHost } from 'lit';
import type { SessionState } from './persona-session.ts';

/** The longest comment kept: enough for a sentence or two, bounded for the site's endpoint. */
export const FEEDBACK_COMMENT_MAX = 500;

export type FeedbackRating = 'up' | 'down';

export interface FeedbackDetail {
  sessionId: string;
  rating: FeedbackRating;
  comment?: string;
}

export interface FeedbackOptions {
  enabled: () => boolean;
  read: () => { state: SessionState; sessionId: string | undefined };
  onFeedback: (detail: FeedbackDetail) => void;
}

/**
 * "Was this helpful?" after a conversation: one answer per session, sent when the visitor sends it,
 * or with the rating alone if they start again (or leave) without sending — it never blocks Start again.
 */
export class FeedbackController implements ReactiveController {
  /** The session being rated, while the ended view asks. */
  sessionId: string | undefined;
  rating: FeedbackRating | undefined;
  sent = false;

  constructor(
    private readonly host: ReactiveControllerHost,
    private readonly options: FeedbackOptions,
  ) {
    host.addController(this);
  }

  /** Whether the ended view should ask now. */
  get asking(): boolean {
    return this.sessionId !== undefined;
  }

  hostUpdated(): void {
    const { state, sessionId } = this.options.read();
    const ask = this.options.enabled() && state === 'ended' && sessionId !== undefined;
    if (ask && sessionId !== this.sessionId) {
      this.#flush();
      this.sessionId = sessionId;
      this.host.requestUpdate();
    } else if (!ask && this.sessionId !== undefined) {
      this.#flush();
      this.sessionId = undefined;
      this.host.requestUpdate();
    }
  }

  hostDisconnected(): void {
    this.#flush();
    this.sessionId = undefined;
  }

  rate(rating: FeedbackRating): void {
    if (this.sent) return;
    this.rating = rating;
    this.host.requestUpdate();
  }

  submit(comment: string): void {
    if (this.sent || !this.rating || !this.sessionId) return;
    const trimmed = comment.trim().slice(0, FEEDBACK_COMMENT_MAX);
    this.#send(trimmed ? { sessionId: this.sessionId, rating: this.rating, comment: trimmed } : undefined);
  }

  /** A rating chosen but not sent still counts once the view goes away. */
  #flush(): void {
    if (!this.sent && this.rating && this.sessionId) this.#send(undefined);
    this.rating = undefined;
    this.sent = false;
  }

  #send(detail: FeedbackDetail | undefined): void {
    this.sent = true;
    this.options.onFeedback(detail ?? { sessionId: this.sessionId!, rating: this.rating! });
    this.host.requestUpdate();
  }
}
