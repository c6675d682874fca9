import type { ReactiveController, ReactiveControllerHost } from 'lit';
import type { Clock } from './clock.ts';

/** How long "Are you still there?" waits for an answer before the session ends. */
export const IDLE_GRACE_MS = 15_000;

export interface IdleOptions {
  /** Seconds of silence before asking; 0 turns the timer off. */
  timeoutSeconds: () => number;
  graceMs: () => number;
  live: () => boolean;
  /** Someone is speaking, the visitor or the persona: silence is not counted meanwhile. */
  busy: () => boolean;
  /** Nobody answered: end the session. */
  onTimeout: () => void;
  clock: () => Clock;
}

/**
 * Ends sessions nobody uses (they are billed by the minute): after `timeoutSeconds` in which the
 * visitor neither spoke nor typed and the persona was silent, asks "Are you still there?", and ends the
 * session `graceMs` later unless answered. A hidden tab counts as idle from the moment it was hidden.
 * Deadlines are checked against the clock, not the number of timer ticks, because background tabs
 * delay timers.
 */
export class IdleController implements ReactiveController {
  /** Whether "Are you still there?" is showing. */
  prompting = false;
  #running = false;
  #lastActivity = 0;
  #promptedAt = 0;
  #hiddenSince: number | undefined;
  #timer: number | undefined;

  constructor(
    private readonly host: ReactiveControllerHost,
    private readonly options: IdleOptions,
  ) {
    host.addController(this);
  }

  hostConnected(): void {
    document.addEventListener('visibilitychange', this.#handleVisibility);
  }

  hostDisconnected(): void {
    document.removeEventListener('visibilitychange', this.#handleVisibility);
    this.#halt();
  }

  hostUpdated(): void {
    const enabled = this.options.live() && this.options.timeoutSeconds() > 0;
    if (enabled && !this.#running) this.#begin();
    else if (!enabled && this.#running) this.#halt();
  }

  /**
   * Something was said, sent or interrupted (the activity controller heard it), or the visitor typed:
   * the silence starts again, and any prompt goes away.
   */
  activity(): void {
    if (!this.#running || this.#hiddenSince !== undefined) return;
    this.#lastActivity = this.options.clock().now();
    this.#dismiss();
    this.#schedule();
  }

  /** The visitor answered "Are you still there?". */
  continue(): void {
    this.activity();
  }

  #begin(): void {
    this.#running = true;
    this.#hiddenSince = document.visibilityState === 'hidden' ? this.options.clock().now() : undefined;
    this.#lastActivity = this.options.clock().now();
    this.#schedule();
  }

  #halt(): void {
    this.#running = false;
    this.options.clock().clearTimeout(this.#timer);
    this.#timer = undefined;
    this.#dismiss();
  }

  #dismiss(): void {
    if (!this.prompting) return;
    this.prompting = false;
    this.host.requestUpdate();
  }

  #schedule(): void {
    const clock = this.options.clock();
    clock.clearTimeout(this.#timer);
    this.#timer = clock.setTimeout(() => this.#check(), this.#msUntilNextCheck());
  }

  #msUntilNextCheck(): number {
    const now = this.options.clock().now();
    if (this.prompting) return Math.max(0, this.#promptedAt + this.options.graceMs() - now);
    const timeoutMs = this.options.timeoutSeconds() * 1000;
    if (this.options.busy() && this.#hiddenSince === undefined) return timeoutMs;
    return Math.max(0, this.#silenceStartedAt() + timeoutMs - now);
  }

  #check(): void {
    if (!this.#running) return;
    const now = this.options.clock().now();
    if (this.#msUntilNextCheck() > 0) {
      this.#schedule();
      return;
    }
    if (this.prompting) {
      this.#halt();
      this.options.onTimeout();
      return;
    }
    // Dated from when it was due, so a timer that ran late (a background tab) does not extend the grace.
    this.prompting = true;
    this.#promptedAt = Math.min(now, this.#silenceStartedAt() + this.options.timeoutSeconds() * 1000);
    this.host.requestUpdate();
    this.#check();
  }

  #silenceStartedAt(): number {
    return this.#hiddenSince ?? this.#lastActivity;
  }

  readonly #handleVisibility = () => {
    if (!this.#running) return;
    const clock = this.options.clock();
    if (document.visibilityState === 'hidden') {
      this.#hiddenSince = clock.now();
      this.#schedule();
      return;
    }
    // Back: first settle what the hidden time decided (throttled timers may not have fired yet).
    this.#check();
    if (!this.#running) return;
    this.#hiddenSince = undefined;
    if (!this.prompting) this.activity();
    else this.#schedule();
  };
}
