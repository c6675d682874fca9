import type { Clock } from '../../widget/clock.ts';

/** A clock that moves only when a test says so, for timers counted in minutes. */
export class FakeClock implements Clock {
  private time = 1_000_000;
  private nextId = 1;
  private readonly pending = new Map<number, { at: number; callback: () => void }>();

  now(): number {
    return this.time;
  }

  setTimeout(callback: () => void, ms: number): number {
    const id = this.nextId++;
    this.pending.set(id, { at: this.time + ms, callback });
    return id;
  }

  clearTimeout(id: number | undefined): void {
    if (id !== undefined) this.pending.delete(id);
  }

  /** Moves time forward, firing due timers in order (and those they set, if due too). */
  advance(ms: number): void {
    const end = this.time + ms;
    for (;;) {
      const due = [...this.pending.entries()].filter(([, timer]) => timer.at <= end).sort((a, b) => a[1].at - b[1].at)[0];
      if (!due) break;
      this.pending.delete(due[0]);
      this.time = Math.max(this.time, due[1].at);
      due[1].callback();
    }
    this.time = end;
  }
}

/** Pretends the tab was hidden or shown, as switching tabs does. */
export function setTabHidden(hidden: boolean): void {
  Object.defineProperty(document, 'visibilityState', { configurable: true, get: () => (hidden ? 'hidden' : 'visible') });
  Object.defineProperty(document, 'hidden', { configurable: true, get: () => hidden });
  document.dispatchEvent(new Event('visibilitychange'));
}

/** Removes the pretence: the document's own visibility again. */
export function restoreTabVisibility(): void {
  delete (document as unknown as Record<string, unknown>)['visibilityState'];
  delete (document as unknown as Record<string, unknown>)['hidden'];
}
