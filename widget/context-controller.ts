import { AnamEvent } from './anam-sdk.ts';
import type { ReactiveController, ReactiveControllerHost } from 'lit';
import type { PersonaClient, SessionState } from './persona-session.ts';

/** Longest page context sent to the persona, in characters: enough for a page's gist, not the page. */
export const CONTEXT_MAX_LENGTH = 4096;

/**
 * What the persona knows about the page: the `context` property, sent with the SDK's addContext as
 * soon as a session can take it (live, data channel open), again whenever it changes, and to every
 * new session; and before it, what a reconnected session must be told (the transcript summary).
 */
export class ContextController implements ReactiveController {
  #pageContext = '';
  #client: PersonaClient | undefined;
  #channelOpen = false;
  #sentPageContext: string | undefined;
  #pendingRestore: string | undefined;
  #warnedTooLong = false;

  constructor(private readonly host: ReactiveControllerHost & { readonly state: SessionState }) {
    host.addController(this);
  }

  hostUpdated(): void {
    // A summary queued for a reconnect that never came is not for the next conversation.
    if (['idle', 'ended', 'error'].includes(this.host.state)) this.#pendingRestore = undefined;
    this.#flush();
  }

  /** The element's `context` property changed. */
  setPageContext(text: string): void {
    const value = text ?? '';
    if (value.length > CONTEXT_MAX_LENGTH && !this.#warnedTooLong) {
      this.#warnedTooLong = true;
      console.warn(
        `<anam-persona>: the context is ${value.length} characters; only the first ${CONTEXT_MAX_LENGTH} are sent. Shorten it to what the persona needs to know.`,
      );
    }
    this.#pageContext = value.slice(0, CONTEXT_MAX_LENGTH);
    this.#flush();
  }

  /** Sends more context now (the element's `addContext(text)`); throws when no session can take it. */
  add(text: string): void {
    if (typeof text !== 'string' || text.trim() === '') throw new TypeError('anam-persona: addContext needs some text');
    if (text.length > CONTEXT_MAX_LENGTH)
      throw new RangeError(`anam-persona: addContext text is ${text.length} characters; the limit is ${CONTEXT_MAX_LENGTH}`);
    const client = this.#readyClient();
    if (!client) throw new Error('anam-persona: no live session');
    client.addContext(text);
  }

  /** Tells the next session that can take it `text` (before the page context); a later call replaces it. */
  restoreWith(text: string): void {
    this.#pendingRestore = text.slice(0, CONTEXT_MAX_LENGTH);
    this.#flush();
  }

  /** A new SDK client: its data channel is not open yet, and it has been told nothing. */
  attach(client: PersonaClient): void {
    this.#client = client;
    this.#channelOpen = false;
    this.#sentPageContext = undefined;
    client.addListener(AnamEvent.DATA_CHANNEL_OPEN, () => {
      if (client !== this.#client) return;
      this.#channelOpen = true;
      this.#flush();
    });
  }

  #readyClient(): PersonaClient | undefined {
    return this.host.state === 'live' && this.#channelOpen ? this.#client : undefined;
  }

  #flush(): void {
    const client = this.#readyClient();
    if (!client) return;
    if (this.#pendingRestore !== undefined) client.addContext(this.#pendingRestore);
    this.#pendingRestore = undefined;
    if (this.#pageContext !== '' && this.#pageContext !== this.#sentPageContext) {
      this.#sentPageContext = this.#pageContext;
      client.addContext(this.#pageContext);
    }
  }
}
