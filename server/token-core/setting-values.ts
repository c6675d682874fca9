import { DEFAULT_ATTEMPT_TIMEOUT_MS, DEFAULT_DEADLINE_MS } from './core.ts';
import { DEFAULT_RATE_LIMIT } from './web-handler.ts';

// How a setting's text becomes a value, shared by the Node server's environment and the Worker's vars so
// one spelling means the same thing in both, and a wrong one gets the same line naming it and the fix.

/** Where a refused value's line goes; the caller decides whether that stops the start or throws. */
export type Problem = (line: string) => void;

const SWITCH_ON = ['1', 'true', 'on', 'yes'];
const SWITCH_OFF = ['0', 'false', 'off', 'no'];

/** A whole number within [min, max]; empty means the fallback. */
export function readWholeNumber(
  name: string,
  raw: string | undefined,
  range: { fallback: number; min: number; max: number },
  problem: Problem,
): number {
  const text = raw?.trim();
  if (!text) return range.fallback;
  const value = Number(text);
  if (Number.isInteger(value) && value >= range.min && value <= range.max) return value;
  problem(`${name} must be a whole number from ${range.min} to ${range.max}, got "${text.slice(0, 40)}".`);
  return range.fallback;
}

/** An on/off switch (1/true/on/yes or 0/false/off/no); empty means the fallback. */
export function readSwitch(name: string, raw: string | undefined, fallback: boolean, problem: Problem): boolean {
  const text = raw?.trim().toLowerCase();
  if (!text) return fallback;
  if (SWITCH_ON.includes(text)) return true;
  if (SWITCH_OFF.includes(text)) return false;
  problem(`${name} must be true or false, got "${raw!.trim().slice(0, 40)}".`);
  return fallback;
}

/** The settings the Node server and the Worker both read, with one range each. */
export const SHARED_RANGES = {
  RATE_LIMIT_MAX: { fallback: DEFAULT_RATE_LIMIT.max, min: 1, max: 1_000_000 },
  RATE_LIMIT_WINDOW_MS: { fallback: DEFAULT_RATE_LIMIT.windowMs, min: 1000, max: 86_400_000 },
  TOKEN_BUDGET_PER_HOUR: { fallback: 0, min: 0, max: 100_000_000 },
  UPSTREAM_TIMEOUT_MS: { fallback: DEFAULT_ATTEMPT_TIMEOUT_MS, min: 100, max: DEFAULT_DEADLINE_MS },
} as const;

/**
 * Readers bound to one source of settings (the process environment, a Worker's vars) and its list of
 * names, so a name outside the list is a type error.
 */
export function settingReaders<Name extends string>(valueOf: (name: Name) => unknown, problem: Problem) {
  // wrangler.toml may hold a number (RATE_LIMIT_MAX = 10) where the environment holds text.
  const text = (name: Name) => {
    const value = valueOf(name);
    return value === undefined || value === null ? undefined : String(value);
  };
  return {
    wholeNumber: (name: Name, range: { fallback: number; min: number; max: number }) =>
      readWholeNumber(name, text(name), range, problem),
    onOff: (name: Name, fallback: boolean) => readSwitch(name, text(name), fallback, problem),
  };
}
