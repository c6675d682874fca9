import type { ReactiveController, ReactiveControllerHost } from 'lit';
import type { Clock } from './clock.ts';

/** How long before the limit the visitor is told: a quarter of the limit, at most 30 s. */
export function noticeLeadMs(limitSeconds: number): number {
  return Math.min(30_000, Math.max(1000, (limitSeconds * 1000) / 4));
}

export interface DurationOptions {
  /** The longest a session may last, in seconds; 0 for no limit. */
  limitSeconds: () => number;
  live: () => boolean;
  /** The limit is reached: end the session. */
  onLimit: () => void;
  clock: () => Clock;
}

/** Ends a live session at `max-duration`, after a short notice a little before. */
export class DurationController implements ReactiveController {
  /** Seconds left when the notice went up, while it shows. */
  noticeSeconds: number | undefined;
  #running = false;
  #timers: number[] = [];

  constructor(
    private readonly host: ReactiveControllerHost,
    private readonly options: DurationOptions,
  ) {
    host.addController(this);
  }

  hostDisconnected(): void {
    this.#halt();
  }

  hostUpdated(): void {
    const limitSeconds = this.options.limitSeconds();
    const enabled = this.options.live() && limitSeconds > 0;
    if (enabled && !this.#running) this.#begin(limitSeconds);
    else if (!enabled && this.#running) this.#halt();
  }

  #begin(limitSeconds: number): void {
    this.#running = true;
    const clock = this.options.clock();
    const limitMs = limitSeconds * 1000;
    const leadMs = Math.min(noticeLeadMs(limitSeconds), limitMs);
    this.#timers = [
      clock.setTimeout(() => {
        this.noticeSeconds = Math.round(leadMs / 1000);
        this.host.requestUpdate();
      }, limitMs - leadMs),
      clock.setTimeout(() => {
        this.#halt();
        this.options.onLimit();
      }, limitMs),
    ];
  }

  #halt(): void {
    this.#running = false;
    for (const timer of this.#timers) this.options.clock().clearTimeout(timer);
    this.#timers = [];
    if (this.noticeSeconds !== undefined) {
      this.noticeSeconds = undefined;
      this.host.requestUpdate();
    }
  }
}
