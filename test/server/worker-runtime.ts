import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { Miniflare } from 'miniflare';
import type { WorkerEnv } from '../../server/token-core/worker-env.ts';
import { LogCapture } from './helpers.ts';

const WORKER_SCRIPT = fileURLToPath(new URL('../../dist/handlers/worker.js', import.meta.url));
const SAMPLE_WRANGLER_TOML = fileURLToPath(new URL('../../deploy/cloudflare/wrangler.toml', import.meta.url));

type TextSettings = { [Name in Exclude<keyof WorkerEnv, 'RATE_LIMITER'>]?: string };

export interface WorkerSettings {
  /** `[vars]` in wrangler.toml. */
  vars: TextSettings;
  /** What `wrangler secret put` stores: ANAM_API_KEY. */
  secrets: TextSettings;
  /** A RATE_LIMITER binding (Cloudflare counts each visitor's limit), e.g. the sample's; none: counted per isolate. */
  rateLimiter?: RateLimitSettings;
}

export interface RunningWorker {
  miniflare: Miniflare;
  /** The Worker's own origin (its own port), as `https://<name>.<subdomain>.workers.dev` would be. */
  url: string;
  /** What the Worker wrote to its console, as `wrangler tail` shows it. */
  logs: LogCapture;
  close(): Promise<void>;
}

interface RateLimitSettings {
  limit: number;
  period: number;
}

/** What the sample deploy/cloudflare/wrangler.toml says, so the Worker here runs as the README's recipe deploys it. */
export function sampleWranglerSettings(): { compatibilityDate: string; rateLimit: RateLimitSettings } {
  const toml = readFileSync(SAMPLE_WRANGLER_TOML, 'utf8');
  const date = /^compatibility_date = "([\d-]+)"$/m.exec(toml)?.[1];
  const limit = /^simple = \{ limit = (\d+), period = (\d+) \}$/m.exec(toml);
  if (!date || !limit) throw new Error(`${SAMPLE_WRANGLER_TOML}: no compatibility_date or RATE_LIMITER "simple" line`);
  return { compatibilityDate: date, rateLimit: { limit: Number(limit[1]), period: Number(limit[2]) } };
}

/**
 * The built Worker (dist/handlers/worker.js) in Cloudflare's workerd through miniflare, offline, listening
 * on its own loopback port. Vars and secrets both reach the Worker as text bindings, as on Cloudflare.
 */
export async function startWorker(settings: WorkerSettings): Promise<RunningWorker> {
  const sample = sampleWranglerSettings();
  const logs = new LogCapture();
  const miniflare = new Miniflare({
    modules: true,
    scriptPath: WORKER_SCRIPT,
    compatibilityDate: sample.compatibilityDate,
    host: '127.0.0.1',
    port: 0,
    // Offline: the placeholder request.cf, not one fetched from Cloudflare.
    cf: false,
    bindings: { ...settings.vars, ...settings.secrets },
    ...(settings.rateLimiter ? { ratelimits: { RATE_LIMITER: { simple: settings.rateLimiter } } } : {}),
    handleRuntimeStdio: (stdout, stderr) => {
      stdout.pipe(logs.stream, { end: false });
      stderr.pipe(logs.stream, { end: false });
    },
  });
  const url = (await miniflare.ready).origin;
  return { miniflare, url, logs, close: () => miniflare.dispose() };
}
