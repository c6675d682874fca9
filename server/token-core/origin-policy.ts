import type { TokenLogger } from './ports.ts';
import { isExactOrigin, notAnOriginReason } from './url-checks.ts';

/** A refused origin is named in the log at most this often, so a misconfiguration is loud but not a flood. */
export const ORIGIN_WARNING_INTERVAL_MS = 5 * 60_000;
/** Refused origins remembered for that; past this many, the memory starts over (a flood of made-up origins). */
const MAX_REMEMBERED_ORIGINS = 1000;

export interface OriginPolicyOptions {
  allowedOrigins: readonly string[];
  /** The origin this endpoint is served from for visitors (e.g. https://persona.shop.example); trusted over Host. */
  publicOrigin: string | undefined;
  /** The name of the setting an operator changes, for the warning (ALLOWED_ORIGINS, or the plugin's option). */
  settingName: string;
  log: TokenLogger;
  now?: () => number;
}

/**
 * Which sites may ask for a token. A refused site still gets a reply its browser lets the widget
 * read (CORS headers on the refusal), so the visitor sees "not allowed", and the operator is told
 * which setting to change.
 */
export class OriginPolicy {
  private readonly allowed: Set<string>;
  private readonly lastWarned = new Map<string, number>();

  constructor(private readonly options: OriginPolicyOptions) {
    // A browser's Origin is scheme://host[:port]: "https://shop.example/" would refuse every visitor of that site.
    for (const origin of options.allowedOrigins) {
      if (!isExactOrigin(origin)) throw new Error(`${options.settingName}: ${notAnOriginReason(origin)}`);
    }
    if (options.publicOrigin !== undefined && !isExactOrigin(options.publicOrigin)) {
      throw new Error(`PUBLIC_ORIGIN (publicOrigin): ${notAnOriginReason(options.publicOrigin)}`);
    }
    this.allowed = new Set(options.allowedOrigins);
  }

  /** `ownOrigin` is the origin the request reached (from Host), used only without a configured public origin. */
  allows(origin: string | undefined, ownOrigin: string | undefined): boolean {
    if (origin === undefined || this.allowed.has(origin)) return true;
    const sameOrigin = this.options.publicOrigin ?? ownOrigin;
    return sameOrigin !== undefined && origin === sameOrigin;
  }

  /** Logs a warning naming the origin and the setting, once per origin per interval. */
  refused(origin: string): void {
    const now = (this.options.now ?? Date.now)();
    const last = this.lastWarned.get(origin);
    if (last !== undefined && now - last < ORIGIN_WARNING_INTERVAL_MS) return;
    if (this.lastWarned.size >= MAX_REMEMBERED_ORIGINS) this.lastWarned.clear();
    this.lastWarned.set(origin, now);
    const { settingName } = this.options;
    const shown = origin.slice(0, 200);
    this.options.log.warn(
      { origin: shown, setting: settingName },
      origin === 'null'
        ? `refused a token request from a page without an origin (Origin: null: opened from a file, or in a sandboxed frame), which ${settingName} cannot allow: serve the page over http(s) and add its origin`
        : `refused a token request from ${shown}: add ${shown} to ${settingName} if that site embeds the persona`,
    );
  }
}

/** CORS headers for any reply to a browser request with an Origin, refusals included; a fresh object the caller may add to. */
export function corsHeaders(origin: string | undefined): Record<string, string> {
  if (origin === undefined) return {};
  return {
    'access-control-allow-origin': origin,
    'access-control-allow-credentials': 'true',
    // A site on another origin reads when to retry (429, 503) only if the header is exposed.
    'access-control-expose-headers': 'retry-after',
    vary: 'Origin',
  };
}

export const PREFLIGHT_HEADERS = {
  'access-control-allow-methods': 'POST',
  'access-control-allow-headers': 'content-type',
  'access-control-max-age': '600',
};
