import type { ReactiveController, ReactiveControllerHost } from 'lit';

/** Where an acceptance is remembered: one entry per consent key, so a new key asks again. */
export function consentStorageKey(consentKey: string): string {
  return `anam-persona:consent:${consentKey || 'default'}`;
}

export interface ConsentOptions {
  /** Whether the site owner asked for a consent gate (the `consent` attribute). */
  required: () => boolean;
  /** The `consent-key`: changing it asks again. */
  key: () => string;
  /** The visitor decided; true to go on and start. */
  onDecision: (accepted: boolean) => void;
  /** Local storage, or undefined where the browser refuses it (privacy mode, sandboxed frames). */
  storage?: () => Storage | undefined;
}

function pageStorage(): Storage | undefined {
  try {
    // Reading the property itself throws where storage is blocked.
    return window.localStorage;
  } catch {
    return undefined;
  }
}

/**
 * The consent gate before Start: nothing is fetched and no microphone is asked for until the visitor
 * accepts. Acceptance lives in localStorage (never a cookie); where storage is blocked, it asks each time.
 */
export class ConsentController implements ReactiveController {
  /** Whether the consent panel is showing. */
  asking = false;

  constructor(
    private readonly host: ReactiveControllerHost,
    private readonly options: ConsentOptions,
  ) {
    host.addController(this);
  }

  hostDisconnected(): void {
    this.asking = false;
  }

  /** True when a session may start without asking: no gate, or an acceptance remembered for this key. */
  granted(): boolean {
    if (!this.options.required()) return true;
    try {
      return this.#storage()?.getItem(consentStorageKey(this.options.key())) != null;
    } catch {
      return false;
    }
  }

  /** Shows the consent panel. */
  ask(): void {
    this.asking = true;
    this.host.requestUpdate();
  }

  accept(): void {
    try {
      this.#storage()?.setItem(consentStorageKey(this.options.key()), new Date().toISOString());
    } catch {
      // Storage full or blocked on write: the visitor is simply asked again next time.
    }
    this.#close();
    this.options.onDecision(true);
  }

  decline(): void {
    this.#close();
    this.options.onDecision(false);
  }

  #close(): void {
    this.asking = false;
    this.host.requestUpdate();
  }

  #storage(): Storage | undefined {
    return (this.options.storage ?? pageStorage)();
  }
}

/** A policy link only if it is a web address: a `javascript:` URL must never become a link. */
export function safePolicyUrl(value: string): string | undefined {
  if (!value) return undefined;
  try {
    const url = new URL(value, document.baseURI);
    if (url.protocol === 'https:' || url.protocol === 'http:') return url.href;
  } catch {
    // fall through to the warning
  }
  console.warn(`<anam-persona>: consent-url "${value}" is not an http(s) address; the policy link is left out.`);
  return undefined;
}
