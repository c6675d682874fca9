/**
 * Failures the engine can be told to act out, for tests only: the plugin accepts them only when
 * started with `testControls`, which the server refuses in production.
 */
export interface EngineFaults {
  /** Answer POST /v1/auth/session-token with this status instead of a token. */
  authStatus?: number;
  /** Answer POST /v1/engine/session with this status instead of a session. */
  sessionStatus?: number;
  /** Wait this long before answering the session-token call. */
  authDelayMs?: number;
  /** Wait this long before answering the session-start call. */
  sessionDelayMs?: number;
  /** Close each signalling socket this long after it opens, and refuse to reconnect it. */
  dropSocketAfterMs?: number;
  /** End each session (`endsession`) this many seconds after it goes live. */
  endSessionAfterSeconds?: number;
  /** Leave the offers of this many next sessions unanswered: their media never connects. */
  stallSessions?: number;
}

const FAULT_KEYS = [
  'authStatus',
  'sessionStatus',
  'authDelayMs',
  'sessionDelayMs',
  'dropSocketAfterMs',
  'endSessionAfterSeconds',
  'stallSessions',
] as const;

/** Keeps only known, numeric fault switches; anything else is a mistake in a test. */
export function parseFaults(value: unknown): EngineFaults {
  if (typeof value !== 'object' || value === null) throw new Error('faults must be an object');
  const faults: EngineFaults = {};
  for (const [key, setting] of Object.entries(value)) {
    if (!(FAULT_KEYS as readonly string[]).includes(key)) throw new Error(`unknown fault "${key}"`);
    if (setting === null || setting === undefined) continue;
    if (typeof setting !== 'number' || !Number.isFinite(setting) || setting < 0)
      throw new Error(`fault "${key}" must be a number ≥ 0`);
    faults[key as (typeof FAULT_KEYS)[number]] = setting;
  }
  return faults;
}

export function delay(ms: number | undefined): Promise<void> {
  return ms ? new Promise((resolve) => setTimeout(resolve, ms)) : Promise.resolve();
}
