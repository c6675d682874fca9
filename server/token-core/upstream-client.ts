import { readTextBounded } from './bounded-read.ts';
import { toAbortSignal, type CancelSignal } from './cancellation.ts';

/** What the token logic needs from an HTTP client: one JSON POST, no redirects, a bounded answer. */
export interface UpstreamReply {
  status: number;
  /** The Retry-After header as sent, or null. */
  retryAfter: string | null;
  /** The body as text, or null when it was longer than allowed (and was not read further). */
  body: string | null;
}

export interface UpstreamRequest {
  headers: Record<string, string>;
  body: string;
  /** Aborted by the attempt's timeout or by the visitor leaving: stop the call. */
  signal: CancelSignal;
  maxBodyBytes: number;
}

/**
 * The upstream HTTP client the core is given. It must never follow a redirect (a 3xx is returned as
 * it is) and must stop reading an answer past `maxBodyBytes`. Node adapters inject an undici pool,
 * which costs far less CPU per call than fetch; everywhere else, fetch is the client.
 */
export interface UpstreamClient {
  postJson(url: string, request: UpstreamRequest): Promise<UpstreamReply>;
  close?(): Promise<void>;
}

/** The client for platforms that have fetch and nothing else (Workers, Deno, Bun, Vercel, Netlify). */
export const fetchUpstreamClient: UpstreamClient = {
  async postJson(url, { headers, body, signal, maxBodyBytes }) {
    const response = await fetch(url, { method: 'POST', headers, body, signal: toAbortSignal(signal), redirect: 'manual' });
    const retryAfter = response.headers.get('retry-after');
    return { status: response.status, retryAfter, body: await readBounded(response, maxBodyBytes) };
  },
};

async function readBounded(response: Response, maxBytes: number): Promise<string | null> {
  const declared = Number(response.headers.get('content-length') ?? Number.NaN);
  if (declared > maxBytes) {
    await response.body?.cancel().catch(() => undefined);
    return null;
  }
  return readTextBounded(response.body, maxBytes);
}
