import { AnamEvent } from './anam-sdk.ts';
import type { ReactiveController, ReactiveControllerHost } from 'lit';
import type { PersonaClient } from './persona-session.ts';

/** A tool call as the page sees it: the `anam-persona-tool-call` detail, and a handler's second argument. */
export interface ToolCall {
  id: string;
  name: string;
  arguments: Record<string, unknown>;
  /** `client` for tools the page runs; `server` and others run at Anam and are only announced. */
  toolType: string;
}

/** A tool call's outcome: the `anam-persona-tool-result` detail. */
export interface ToolResult {
  id: string;
  name: string;
  result?: string;
  error?: string;
}

/** Runs a client tool in the page; what it returns (or resolves to) goes back to the persona. */
export type ToolHandler = (args: Record<string, unknown>, call: ToolCall) => unknown;

interface StartedPayload {
  toolCallId: string;
  toolName: string;
  toolType: string;
  arguments?: Record<string, unknown>;
}

const TOOL_NAME = /^[a-z][a-z0-9_]{0,63}$/;

/**
 * The page's client tools: kept across sessions, registered with each new SDK client, run when the
 * persona calls them; every call and outcome is announced to the page.
 */
export class ToolsController implements ReactiveController {
  readonly #handlers = new Map<string, ToolHandler>();
  #client: PersonaClient | undefined;
  readonly #registeredWithClient = new Map<string, () => void>();
  /** Calls whose outcome was announced, so an engine's own completion event is not announced twice. */
  #announced = new Set<string>();

  constructor(
    host: ReactiveControllerHost,
    private readonly on: { call: (call: ToolCall) => void; result: (result: ToolResult) => void },
  ) {
    host.addController(this);
  }

  /** A removed element's session is stopped: its late tool events are not the page's business. */
  hostDisconnected(): void {
    this.#client = undefined;
    this.#registeredWithClient.clear();
  }

  /** Adds (or replaces) the handler of a tool; returns a function that removes it. */
  register(name: string, handler: ToolHandler): () => void {
    if (!TOOL_NAME.test(name))
      throw new TypeError(`anam-persona: tool name "${name}" must be snake_case, as the persona config declares it`);
    if (typeof handler !== 'function') throw new TypeError(`anam-persona: the handler of tool "${name}" must be a function`);
    this.#handlers.set(name, handler);
    this.#registerWithClient(name);
    return () => {
      if (this.#handlers.get(name) !== handler) return;
      this.#handlers.delete(name);
      this.#registeredWithClient.get(name)?.();
      this.#registeredWithClient.delete(name);
    };
  }

  /** A new SDK client (a new session): hand it every tool and listen to its tool events. */
  attach(client: PersonaClient): void {
    this.#client = client;
    this.#registeredWithClient.clear();
    this.#announced = new Set();
    for (const name of this.#handlers.keys()) this.#registerWithClient(name);
    client.addListener(AnamEvent.TOOL_CALL_STARTED, (payload) => {
      if (client === this.#client) this.on.call(toToolCall(payload));
    });
    client.addListener(AnamEvent.TOOL_CALL_COMPLETED, (payload) => {
      if (client !== this.#client) return;
      const result = payload.result === undefined ? {} : { result: asText(payload.result) };
      this.#announce({ id: payload.toolCallId, name: payload.toolName, ...result });
    });
    client.addListener(AnamEvent.TOOL_CALL_FAILED, (payload) => {
      if (client === this.#client)
        this.#announce({ id: payload.toolCallId, name: payload.toolName, error: payload.errorMessage });
    });
  }

  #registerWithClient(name: string): void {
    const client = this.#client;
    if (!client) return;
    this.#registeredWithClient.get(name)?.();
    const unregister = client.registerToolCallHandler(name, {
      // The SDK sends what onStart resolves to as the result, and a rejection as the failure.
      onStart: async (payload) => {
        const handler = this.#handlers.get(name);
        const call = toToolCall(payload);
        try {
          if (!handler) throw new Error(`no handler for tool "${name}"`);
          const value: unknown = await handler(call.arguments, call);
          const result = value === undefined ? undefined : asText(value);
          if (client === this.#client) this.#announce({ id: call.id, name, ...(result === undefined ? {} : { result }) });
          return result;
        } catch (error) {
          const message = error instanceof Error ? error.message : String(error);
          if (client === this.#client) this.#announce({ id: call.id, name, error: message });
          throw error;
        }
      },
    });
    this.#registeredWithClient.set(name, unregister);
  }

  #announce(result: ToolResult): void {
    if (this.#announced.has(result.id)) return;
    this.#announced.add(result.id);
    this.on.result(result);
  }
}

function toToolCall(payload: StartedPayload): ToolCall {
  return { id: payload.toolCallId, name: payload.toolName, arguments: payload.arguments ?? {}, toolType: payload.toolType };
}

/** A result as the persona reads it: strings as they are, anything else as JSON. */
function asText(value: unknown): string {
  return typeof value === 'string' ? value : JSON.stringify(value);
}
