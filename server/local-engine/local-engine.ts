import { randomUUID } from 'node:crypto';
import type { FastifyBaseLogger } from 'fastify';
import { greetingFor, LOCAL_PERSONA_NAME } from './catalog.ts';
import type { DeclaredClientTool } from './conversation.ts';
import { EngineSession } from './engine-session.ts';
import type { EngineFaults } from './faults.ts';
import { MediaLink } from './media-link.ts';
import { SessionTokens, type SessionTokenClaims } from './tokens.ts';

export const LOCAL_ENGINE_DEFAULTS = {
  video: { width: 512, height: 512, fps: 25 },
  speechCharsPerSecond: 15,
  maxConcurrentSessions: 8,
  /** Sessions one address may hold at once, so one stranger cannot take every slot. */
  sessionsPerAddress: 2,
  /** The longest a session lasts (a persona's own maxSessionLengthSeconds may be shorter). */
  maxSessionSeconds: 600,
  /** A session where neither side has said or sent anything (heartbeats aside) for this long ends. */
  idleSeconds: 120,
  tokensPerMinute: 120,
  heartbeatIntervalSeconds: 5,
  maxWsReconnectionAttempts: 5,
  reconnectGraceMs: 3000,
  socketWaitMs: 30_000,
};

export interface LocalEngineOptions {
  /** Keys that may mint tokens (Bearer on /v1/auth/session-token). */
  apiKeys: string[];
  /** Keys that exist but lack permission to mint (answered 403, as Anam does). */
  restrictedApiKeys?: string[];
  /** HMAC secret for session tokens; random per process when not given. */
  signingSecret?: string;
  video?: { width: number; height: number; fps: number };
  speechCharsPerSecond?: number;
  maxConcurrentSessions?: number;
  sessionsPerAddress?: number;
  maxSessionSeconds?: number;
  idleSeconds?: number;
  tokensPerMinute?: number;
  heartbeatIntervalSeconds?: number;
  reconnectGraceMs?: number;
  /** Greets the visitor when a session goes live, as Anam's personas do. */
  greet?: boolean;
  /** Allows the fault switches and the inspection routes: tests only, never production. */
  testControls?: boolean;
  log: FastifyBaseLogger;
}

/**
 * The offline stand-in for Anam's API: tokens, sessions, their peers, the fault switches. The
 * routes in `plugin.ts` speak for it over HTTP and WebSocket.
 */
export class LocalEngine {
  readonly tokens: SessionTokens;
  readonly settings: typeof LOCAL_ENGINE_DEFAULTS & { greet: boolean };
  faults: EngineFaults = {};
  /** The process holding every session's WebRTC peer, so a native crash there spares the server. */
  readonly media: MediaLink;
  private readonly sessions = new Map<string, EngineSession>();
  private readonly mintTimes = new Map<string, number[]>();
  private sessionsStarted = 0;

  constructor(readonly options: LocalEngineOptions) {
    this.tokens = new SessionTokens(options.signingSecret);
    this.media = new MediaLink(options.log);
    this.settings = {
      ...LOCAL_ENGINE_DEFAULTS,
      ...(options.video ? { video: options.video } : {}),
      ...definedOnly({
        speechCharsPerSecond: options.speechCharsPerSecond,
        maxConcurrentSessions: options.maxConcurrentSessions,
        sessionsPerAddress: options.sessionsPerAddress,
        maxSessionSeconds: options.maxSessionSeconds,
        idleSeconds: options.idleSeconds,
        tokensPerMinute: options.tokensPerMinute,
        heartbeatIntervalSeconds: options.heartbeatIntervalSeconds,
        reconnectGraceMs: options.reconnectGraceMs,
      }),
      greet: options.greet ?? true,
    };
  }

  /** Whether this key may mint another token now (Anam rate-limits per key). */
  allowMint(apiKey: string): boolean {
    const now = Date.now();
    const recent = (this.mintTimes.get(apiKey) ?? []).filter((at) => now - at < 60_000);
    if (recent.length >= this.settings.tokensPerMinute) return false;
    recent.push(now);
    this.mintTimes.set(apiKey, recent);
    return true;
  }

  get liveSessionCount(): number {
    return this.sessions.size;
  }

  /** Sessions started from this client address and not ended yet. */
  sessionsFrom(address: string): number {
    let count = 0;
    for (const session of this.sessions.values()) if (session.address === address) count++;
    return count;
  }

  startSession(claims: SessionTokenClaims, address: string): EngineSession {
    const config = claims.personaConfig;
    const personaName = typeof config['name'] === 'string' ? config['name'] : LOCAL_PERSONA_NAME;
    const personaMaxSeconds = config['maxSessionLengthSeconds'];
    this.media.warmUp();
    const stalled = (this.faults.stallSessions ?? 0) > 0;
    if (stalled) this.faults = { ...this.faults, stallSessions: this.faults.stallSessions! - 1 };
    const session = new EngineSession({
      id: randomUUID(),
      address,
      personaName,
      greeting: this.settings.greet ? greetingFor(personaName) : undefined,
      video: this.settings.video,
      speechCharsPerSecond: this.settings.speechCharsPerSecond,
      clientTools: clientToolsOf(config),
      stalled,
      heartbeatIntervalSeconds: this.settings.heartbeatIntervalSeconds,
      reconnectGraceMs: this.settings.reconnectGraceMs,
      socketWaitMs: this.settings.socketWaitMs,
      maxSessionSeconds:
        typeof personaMaxSeconds === 'number'
          ? Math.min(personaMaxSeconds, this.settings.maxSessionSeconds)
          : this.settings.maxSessionSeconds,
      idleMs: this.settings.idleSeconds * 1000,
      faults: () => this.faults,
      media: this.media,
      log: this.options.log,
      onEnded: (ended) => this.sessions.delete(ended.id),
    });
    this.sessions.set(session.id, session);
    this.sessionsStarted++;
    return session;
  }

  session(id: string): EngineSession | undefined {
    return this.sessions.get(id);
  }

  /** What tests may look at: sessions alive, each one's mic level, messages and speech. */
  inspect() {
    return { sessionsStarted: this.sessionsStarted, sessions: [...this.sessions.values()].map((session) => session.inspect()) };
  }

  /** Cuts every live session as a network loss would (test control `__test/drop`); returns how many. */
  dropAll(): number {
    const live = [...this.sessions.values()].filter((session) => session.state === 'live');
    for (const session of live) session.drop();
    return live.length;
  }

  /** Ends every session, then the media process (a peer or the process left open keeps the server alive). */
  async close(): Promise<void> {
    for (const session of [...this.sessions.values()]) session.end('engine shutting down', true);
    await this.media.close();
  }
}

/** The client tools a persona config declares (the token server has validated them). */
function clientToolsOf(config: Record<string, unknown>): DeclaredClientTool[] {
  const tools = config['tools'];
  if (!Array.isArray(tools)) return [];
  return (tools as Array<Record<string, unknown>>)
    .filter((tool) => tool['type'] === 'client' && typeof tool['name'] === 'string')
    .map((tool) => ({
      name: tool['name'] as string,
      ...(typeof tool['awaitResult'] === 'boolean' ? { awaitResult: tool['awaitResult'] } : {}),
    }));
}

function definedOnly<T extends Record<string, unknown>>(values: T): Partial<T> {
  return Object.fromEntries(Object.entries(values).filter(([, value]) => value !== undefined)) as Partial<T>;
}
