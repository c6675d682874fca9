import { Pool, type Dispatcher } from 'undici';
import type { UpstreamClient, UpstreamReply, UpstreamRequest } from '../token-core/upstream-client.ts';

/** Connections kept to the upstream; a token call is short, so a few serve hundreds per second. */
const CONNECTIONS_PER_ORIGIN = 32;

/**
 * The upstream client for Node: an undici Pool per upstream origin, kept alive. fetch spends most
 * of a token's CPU on its WHATWG machinery; a pool does the same HTTP for a fraction, and its
 * `dispatch` with a handler of our own (below) for less again than `request()`, which wraps every
 * answer in a stream and an async resource. Pools never follow redirects; the body is read up to
 * the bound and no further.
 */
export function createUndiciUpstream(): Required<UpstreamClient> {
  const pools = new Map<string, Pool>();
  const targets = new Map<string, { pool: Pool; path: string }>();

  const target = (url: string) => {
    let found = targets.get(url);
    if (!found) {
      const parsed = new URL(url);
      let pool = pools.get(parsed.origin);
      if (!pool) {
        pool = new Pool(parsed.origin, { connections: CONNECTIONS_PER_ORIGIN });
        pools.set(parsed.origin, pool);
      }
      found = { pool, path: `${parsed.pathname}${parsed.search}` };
      if (targets.size < 16) targets.set(url, found);
    }
    return found;
  };

  return {
    postJson(url, request): Promise<UpstreamReply> {
      const { pool, path } = target(url);
      return new Promise((resolve, reject) => {
        pool.dispatch(
          { method: 'POST', path, headers: request.headers, body: request.body },
          new BoundedReply(request, resolve, reject),
        );
      });
    },
    async close() {
      await Promise.all([...pools.values()].map((pool) => pool.close()));
      pools.clear();
      targets.clear();
    },
  };
}

/** Collects one answer up to `maxBodyBytes`; cancelled through the request's signal. */
class BoundedReply implements Dispatcher.DispatchHandler {
  private controller: Dispatcher.DispatchController | undefined;
  private status = 0;
  private retryAfter: string | null = null;
  private chunks: Buffer[] = [];
  private size = 0;
  private settled = false;
  private readonly onCancel = () => this.controller?.abort(new Error('the upstream call was cancelled'));

  constructor(
    private readonly request: UpstreamRequest,
    private readonly resolve: (reply: UpstreamReply) => void,
    private readonly reject: (error: Error) => void,
  ) {
    request.signal.addEventListener('abort', this.onCancel);
  }

  onRequestStart(controller: Dispatcher.DispatchController): void {
    this.controller = controller;
    if (this.request.signal.aborted) this.onCancel();
  }

  onResponseStart(
    controller: Dispatcher.DispatchController,
    statusCode: number,
    headers: Record<string, string | string[] | undefined>,
  ): void {
    this.status = statusCode;
    const retryAfter = headers['retry-after'];
    this.retryAfter = typeof retryAfter === 'string' ? retryAfter : null;
    if (Number(headers['content-length'] ?? 0) > this.request.maxBodyBytes) this.tooLarge(controller);
  }

  onResponseData(controller: Dispatcher.DispatchController, chunk: Buffer): void {
    if (this.settled) return;
    this.size += chunk.length;
    if (this.size > this.request.maxBodyBytes) this.tooLarge(controller);
    else this.chunks.push(chunk);
  }

  onResponseEnd(): void {
    if (this.settled) return;
    const { chunks } = this;
    const body = chunks.length === 1 ? chunks[0]!.toString('utf8') : Buffer.concat(chunks, this.size).toString('utf8');
    this.settle();
    this.resolve({ status: this.status, retryAfter: this.retryAfter, body });
  }

  onResponseError(_controller: Dispatcher.DispatchController, error: Error): void {
    if (this.settled) return;
    this.settle();
    this.reject(error);
  }

  /** Answers at once, body null, and stops reading (the connection goes with it). */
  private tooLarge(controller: Dispatcher.DispatchController): void {
    if (this.settled) return;
    this.settle();
    this.resolve({ status: this.status, retryAfter: this.retryAfter, body: null });
    controller.abort(new Error('the upstream answer is too large'));
  }

  private settle(): void {
    this.settled = true;
    this.chunks = [];
    this.request.signal.removeEventListener('abort', this.onCancel);
  }
}
