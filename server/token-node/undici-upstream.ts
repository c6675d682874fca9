import { Pool } from 'undici';
import type { UpstreamClient, UpstreamReply } from '../token-core/upstream-client.ts';

/** Connections kept to the upstream; a token call is short, so a few serve hundreds per second. */
const CONNECTIONS_PER_ORIGIN = 32;

/**
 * The upstream client for Node: an undici Pool per upstream origin, kept alive. fetch spends most
 * of a token's CPU on its WHATWG machinery; a pool request does the same HTTP for a fraction.
 * Pools never follow redirects; the body is read up to the bound and no further.
 */
export function createUndiciUpstream(): Required<UpstreamClient> {
  const pools = new Map<string, Pool>();
  const targets = new Map<string, { origin: string; path: string }>();

  const target = (url: string) => {
    let found = targets.get(url);
    if (!found) {
      const parsed = new URL(url);
      found = { origin: parsed.origin, path: `${parsed.pathname}${parsed.search}` };
      if (targets.size < 16) targets.set(url, found);
    }
    return found;
  };

  return {
    async postJson(url, { headers, body, signal, maxBodyBytes }): Promise<UpstreamReply> {
      const { origin, path } = target(url);
      let pool = pools.get(origin);
      if (!pool) {
        pool = new Pool(origin, { connections: CONNECTIONS_PER_ORIGIN });
        pools.set(origin, pool);
      }
      const response = await pool.request({ method: 'POST', path, headers, body, signal });
      const retryAfterHeader = response.headers['retry-after'];
      const retryAfter = typeof retryAfterHeader === 'string' ? retryAfterHeader : null;
      const declared = Number(response.headers['content-length'] ?? Number.NaN);
      if (declared <= maxBodyBytes) {
        // The HTTP parser holds the body to its declared length.
        return { status: response.statusCode, retryAfter, body: await response.body.text() };
      }
      if (declared > maxBodyBytes) {
        response.body.destroy();
        return { status: response.statusCode, retryAfter, body: null };
      }
      const chunks: Buffer[] = [];
      let size = 0;
      for await (const chunk of response.body as AsyncIterable<Buffer>) {
        size += chunk.length;
        if (size > maxBodyBytes) {
          response.body.destroy();
          return { status: response.statusCode, retryAfter, body: null };
        }
        chunks.push(chunk);
      }
      return { status: response.statusCode, retryAfter, body: Buffer.concat(chunks).toString('utf8') };
    },
    async close() {
      await Promise.all([...pools.values()].map((pool) => pool.close()));
      pools.clear();
    },
  };
}
