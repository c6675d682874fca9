import { randomUUID } from 'node:crypto';
import { replyTo } from './catalog.ts';

/** A client tool as a persona config declares it (the engine only needs these fields). */
export interface DeclaredClientTool {
  name: string;
  awaitResult?: boolean;
}

/** Anam's default wait for a client tool's result. */
export const DEFAULT_TOOL_TIMEOUT_SECONDS = 10;

/** What the engine sends on the data channel to call a client tool, as Anam's engine does. */
export interface ToolCallStartedMessage {
  messageType: 'toolCallStarted';
  data: {
    event_uid: string;
    session_id: string;
    tool_call_id: string;
    tool_name: string;
    tool_type: 'client';
    arguments: Record<string, string>;
    timestamp: string;
    timestamp_user_action: string;
    user_action_correlation_id: string;
    used_outside_engine: boolean;
  };
}

export interface ConversationOptions {
  sessionId: string;
  tools: readonly DeclaredClientTool[];
  /** The persona says this (captions and voice). */
  say: (text: string) => void;
  /** Sends a message to the client on the data channel. */
  send: (message: ToolCallStartedMessage) => void;
}

interface PendingCall {
  tool: DeclaredClientTool;
  timer: NodeJS.Timeout;
}

/**
 * The local persona's deterministic brain: answers what the visitor types, calls the page's client
 * tools when a message names one, and remembers the context the page adds.
 */
export class Conversation {
  /** The latest text the page sent with addContext. */
  context: string | undefined;
  private readonly pending = new Map<string, PendingCall>();

  constructor(private readonly options: ConversationOptions) {}

  /** A visitor's typed message (`sendUserMessage`). */
  hear(message: string): void {
    const tool = this.toolNamedIn(message);
    if (tool) this.callTool(tool, argumentsIn(message));
    else if (/\bcontext\b/i.test(message)) this.options.say(this.quoteContext());
    else this.options.say(replyTo(message));
  }

  /** The page's answer to a tool call (`tool_result` on the data channel). */
  receiveToolResult(message: Record<string, unknown>): void {
    const id = message['tool_call_id'];
    const call = typeof id === 'string' ? this.pending.get(id) : undefined;
    if (!call) return;
    clearTimeout(call.timer);
    this.pending.delete(id as string);
    const spoken = spokenName(call.tool.name);
    const error = message['error'];
    if (typeof error === 'string' && error !== '') this.options.say(`Sorry, ${spoken} failed: ${error}`);
    else this.options.say(`Done. ${stringify(message['result'])}`);
  }

  /** Frees the timers of calls still waiting for the page. */
  close(): void {
    for (const call of this.pending.values()) clearTimeout(call.timer);
    this.pending.clear();
  }

  private quoteContext(): string {
    return this.context === undefined
      ? 'The page has not given me any context yet.'
      : `The latest context from the page is: "${this.context}".`;
  }

  /** The first declared tool whose name, `_` read as a space, the message contains as words. */
  private toolNamedIn(message: string): DeclaredClientTool | undefined {
    const words = ` ${message.toLowerCase().replace(/[^a-z0-9=_-]+/g, ' ')} `;
    return this.options.tools.find(
      (tool) => words.includes(` ${spokenName(tool.name).toLowerCase()} `) || words.includes(` ${tool.name.toLowerCase()} `),
    );
  }

  private callTool(tool: DeclaredClientTool, args: Record<string, string>): void {
    const toolCallId = randomUUID();
    const now = new Date().toISOString();
    this.options.send({
      messageType: 'toolCallStarted',
      data: {
        event_uid: randomUUID(),
        session_id: this.options.sessionId,
        tool_call_id: toolCallId,
        tool_name: tool.name,
        tool_type: 'client',
        arguments: args,
        timestamp: now,
        timestamp_user_action: now,
        user_action_correlation_id: randomUUID(),
        used_outside_engine: false,
      },
    });
    if (tool.awaitResult === false) {
      this.options.say(`I asked the page to ${spokenName(tool.name)}.`);
      return;
    }
    const timeoutMs = DEFAULT_TOOL_TIMEOUT_SECONDS * 1000;
    const timer = setTimeout(() => {
      this.pending.delete(toolCallId);
      this.options.say(`Sorry, ${spokenName(tool.name)} failed: the page did not answer in time.`);
    }, timeoutMs);
    this.pending.set(toolCallId, { tool, timer });
  }
}

/** `show_bike` as the persona says it: `show bike`. */
function spokenName(toolName: string): string {
  return toolName.replace(/_/g, ' ');
}

/** String arguments from `key=value` words: "show bike model=cargo-duo" gives { model: 'cargo-duo' }. */
function argumentsIn(message: string): Record<string, string> {
  const args: Record<string, string> = {};
  for (const [, key, value] of message.matchAll(/(?:^|\s)([A-Za-z_][\w-]*)=(\S+)/g)) {
    args[key!] = value!.replace(/[.,;!?]+$/, '');
  }
  return args;
}

function stringify(result: unknown): string {
  if (result === undefined || result === null) return 'The page gave no result.';
  return typeof result === 'string' ? result : JSON.stringify(result);
}
