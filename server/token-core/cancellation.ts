/**
 * What the core needs of a cancellation signal: an `AbortSignal` is one (the web handler passes the
 * Request's), and so is a `Cancellation`. Node 20's AbortSignal costs microseconds per listener
 * added and removed, several times per token; the Node adapters use the plain object instead.
 */
export interface CancelSignal {
  readonly aborted: boolean;
  addEventListener(type: 'abort', listener: () => void): void;
  removeEventListener(type: 'abort', listener: () => void): void;
}

/** A one-shot cancellation: `abort()` calls each listener once (as with AbortSignal, check `aborted` first). */
export class Cancellation implements CancelSignal {
  aborted = false;
  private listeners: Array<() => void> | undefined;

  addEventListener(_type: 'abort', listener: () => void): void {
    if (!this.aborted) (this.listeners ??= []).push(listener);
  }

  removeEventListener(_type: 'abort', listener: () => void): void {
    const index = this.listeners?.indexOf(listener) ?? -1;
    if (index >= 0) this.listeners!.splice(index, 1);
  }

  abort(): void {
    if (this.aborted) return;
    this.aborted = true;
    const listeners = this.listeners;
    this.listeners = undefined;
    if (listeners) for (const listener of listeners) listener();
  }
}

/** An AbortSignal following `signal`, for clients that take nothing else (fetch). */
export function toAbortSignal(signal: CancelSignal): AbortSignal {
  if (signal instanceof AbortSignal) return signal;
  const controller = new AbortController();
  signal.addEventListener('abort', () => controller.abort());
  return controller.signal;
}
