import assert from 'node:assert/strict';
import { connect, type Socket } from 'node:net';
import { after, before, describe, it } from 'node:test';
import Fastify from 'fastify';
import { Cancellation } from '../../server/token-core/cancellation.ts';
import { createTokenCore, DEFAULT_DEADLINE_MS, type TokenRequest } from '../../server/token-core/core.ts';
import { parsePersonaPresets } from '../../server/personas.ts';
import { anamPersonaTokens } from '../../server/token-node/fastify-plugin.ts';
import { LOCAL_PERSONA_ID } from '../../server/local-engine/catalog.ts';
import { TOKEN_TIMEOUT_MS } from '../../widget/token-timing.ts';
import { fakeToken, FakeUpstream, json } from './fake-upstream.ts';
import { startWorker, type RunningWorker } from './worker-runtime.ts';

const quiet = { info: () => undefined, warn: () => undefined, error: () => undefined };

async function until(what: string, check: () => boolean, timeoutMs = 5000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!check()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

/** One preset, the engine's persona: what every core here serves. */
const personas = parsePersonaPresets({ presets: { default: { personaId: LOCAL_PERSONA_ID } } });

/** A bare POST as an adapter hands it to the core; `changes` for what a test varies. */
function tokenRequest(changes: Partial<TokenRequest<null>> = {}): TokenRequest<null> {
  return {
    method: 'POST',
    header: () => undefined,
    hasBody: false,
    readBody: async () => '',
    clientAddress: 'a',
    ownOrigin: undefined,
    signal: undefined,
    native: null,
    ...changes,
  };
}

/**
 * The Fastify plugin on a port against `upstreamUrl`, and a visitor's token request sent on a raw socket,
 * so the test can drop the connection as a visitor who leaves does.
 */
async function askThroughThePlugin(upstreamUrl: string): Promise<{ socket: Socket; close: () => Promise<void> }> {
  const app = Fastify();
  await app.register(anamPersonaTokens, { apiKey: 'k', apiBase: upstreamUrl, personaId: LOCAL_PERSONA_ID });
  const url = new URL(await app.listen({ port: 0, host: '127.0.0.1' }));
  const socket = connect(Number(url.port), url.hostname);
  await new Promise((resolve) => socket.once('connect', resolve));
  const body = '{}';
  socket.write(
    `POST /api/session-token HTTP/1.1\r\nHost: ${url.host}\r\ncontent-type: application/json\r\ncontent-length: ${body.length}\r\n\r\n${body}`,
  );
  return {
    socket,
    close: async () => {
      socket.destroy();
      await app.close();
    },
  };
}

describe('token core: time and cancellation', () => {
  const upstream = new FakeUpstream();
  before(() => upstream.start());
  after(() => upstream.close());

  it('answers within its one deadline, which fits inside the widget token timeout', async () => {
    assert.ok(DEFAULT_DEADLINE_MS + 1500 <= TOKEN_TIMEOUT_MS, 'the server answers before the widget gives up');
    upstream.reset(() => undefined); // never answers
    const handle = createTokenCore({
      apiKey: 'k',
      apiBase: upstream.url,
      personas,
      attemptTimeoutMs: 600,
      deadlineMs: 1000,
      logger: quiet,
    });
    const started = Date.now();
    const reply = await handle(tokenRequest());
    const took = Date.now() - started;
    assert.equal(reply.status, 504);
    assert.ok(took < 1300, `took ${took} ms for a 1000 ms deadline`);
    assert.ok(upstream.calls.length <= 2, `${upstream.calls.length} calls fit in the deadline`);
  });

  it('makes no upstream call, and logs no error, for a visitor gone before the token is asked for', async () => {
    upstream.reset();
    const errors: unknown[] = [];
    const handle = createTokenCore({
      apiKey: 'k',
      apiBase: upstream.url,
      personas,
      logger: { ...quiet, error: (...line: unknown[]) => errors.push(line) },
    });
    // Gone while the request was still being checked (a slow shared rate-limit store, say).
    const gone = new Cancellation();
    gone.abort();
    await handle(tokenRequest({ signal: gone }));
    assert.equal(upstream.calls.length, 0, 'no token minted for nobody');
    assert.deepEqual(errors, [], 'nothing failed');
  });

  it('cancels the upstream call when the visitor closes the connection (Fastify adapter)', async () => {
    upstream.reset(() => undefined); // holds the call open
    const visitor = await askThroughThePlugin(upstream.url);
    try {
      await until('the upstream call', () => upstream.calls.length === 1);
      visitor.socket.destroy();
      await until('the upstream call to be cancelled', () => upstream.calls[0]!.aborted);
      assert.equal(upstream.calls.length, 1, 'not retried for a visitor who left');
    } finally {
      await visitor.close();
    }
  });

  it('makes no further upstream call for a visitor who left while it waited to retry (Fastify adapter)', async () => {
    // The first call fails with a short Retry-After, which the server waits out; any later call would mint a token.
    upstream.reset((_request, response, call) =>
      call === 1
        ? json(response, 503, { message: 'busy' }, { 'retry-after': '1' })
        : json(response, 200, { sessionToken: fakeToken() }),
    );
    const visitor = await askThroughThePlugin(upstream.url);
    try {
      await until('the first upstream call to fail', () => upstream.calls.length === 1 && upstream.calls[0]!.body !== '');
      await new Promise((resolve) => setTimeout(resolve, 200));
      visitor.socket.destroy();
      // Past the Retry-After: a retry would have been made by now.
      await new Promise((resolve) => setTimeout(resolve, 1500));
      assert.equal(upstream.calls.length, 1, 'no token minted for a visitor who left');
    } finally {
      await visitor.close();
    }
  });
});

describe('Cloudflare Worker: the rate-limiting binding', () => {
  const upstream = new FakeUpstream();
  let worker: RunningWorker;
  before(async () => {
    await upstream.start();
    worker = await startWorker({
      secrets: { ANAM_API_KEY: 'k' },
      vars: { ANAM_API_BASE: upstream.url, ANAM_PERSONA_ID: LOCAL_PERSONA_ID, RATE_LIMIT_MAX: '1000' },
      rateLimiter: { limit: 2, period: 60 },
    });
  });
  after(async () => {
    await worker?.close();
    await upstream.close();
  });

  it('limits each visitor address through the binding when one is configured', async () => {
    const statuses = [];
    for (const address of ['203.0.113.1', '203.0.113.1', '203.0.113.1', '203.0.113.2']) {
      const response = await worker.miniflare.dispatchFetch('http://token.test/api/session-token', {
        method: 'POST',
        headers: { 'cf-connecting-ip': address },
      });
      await response.text();
      statuses.push(response.status);
    }
    assert.deepEqual(statuses, [200, 200, 429, 200]);
  });

  it('answers 404 off its path and 405 to a GET', async () => {
    assert.equal((await worker.miniflare.dispatchFetch('http://token.test/elsewhere')).status, 404);
    const get = await worker.miniflare.dispatchFetch('http://token.test/api/session-token');
    assert.equal(get.status, 405);
    assert.equal(get.headers.get('allow'), 'POST, OPTIONS');
  });
});

describe('Cloudflare Worker: deployed with a mistake in its configuration', () => {
  const SHOP = 'https://www.shop.example';
  const askFromTheShop = async (worker: RunningWorker) => {
    const url = `${worker.url}/api/session-token`;
    const preflight = await fetch(url, {
      method: 'OPTIONS',
      headers: { origin: SHOP, 'access-control-request-method': 'POST', 'access-control-request-headers': 'content-type' },
    });
    const post = await fetch(url, { method: 'POST', headers: { origin: SHOP, 'content-type': 'application/json' }, body: '{}' });
    return { preflight, post, body: (await post.json()) as { code: string } };
  };

  it('without its secret or with a wrong var: a 500 the site can read (CORS), and a log line naming each variable and the fix', async () => {
    const worker = await startWorker({
      secrets: {},
      vars: { ANAM_PERSONA_ID: LOCAL_PERSONA_ID, ALLOWED_ORIGINS: SHOP, RATE_LIMIT_MAX: 'ten', PERSONAS: '{ presets: }' },
    });
    try {
      const { preflight, post, body } = await askFromTheShop(worker);
      assert.equal(preflight.status, 204, 'the preflight passes, so the widget gets to read the answer');
      assert.equal(preflight.headers.get('access-control-allow-origin'), SHOP);
      assert.equal(post.status, 500);
      assert.equal(post.headers.get('access-control-allow-origin'), SHOP);
      assert.equal(body.code, 'INTERNAL_ERROR');
      await until('the log line', () => worker.logs.text.includes('RATE_LIMIT_MAX must be a whole number'), 5000);
      assert.match(worker.logs.text, /ANAM_API_KEY is not set: run `npx wrangler secret put ANAM_API_KEY`/);
      assert.match(worker.logs.text, /PERSONAS is not JSON/);
    } finally {
      await worker.close();
    }
  });

  it('with ALLOWED_ORIGINS written as a URL (a trailing slash): refuses to run, naming it, instead of turning every visitor away', async () => {
    const worker = await startWorker({
      secrets: { ANAM_API_KEY: 'k' },
      vars: { ANAM_PERSONA_ID: LOCAL_PERSONA_ID, ALLOWED_ORIGINS: `${SHOP}/` },
    });
    try {
      const { post } = await askFromTheShop(worker);
      assert.equal(post.status, 500);
      await until('the log line', () => worker.logs.text.includes(`ALLOWED_ORIGINS: "${SHOP}/" is not an exact origin`), 5000);
    } finally {
      await worker.close();
    }
  });
});

describe('token core: allowed origins', () => {
  it('refuses an origin a browser never sends (a path, a trailing slash), naming the setting', () => {
    const core = (allowedOrigins: string[], publicOrigin?: string) => () =>
      createTokenCore({ apiKey: 'k', apiBase: 'http://upstream.test', personas, allowedOrigins, publicOrigin, logger: quiet });
    assert.throws(core(['https://shop.example/']), /ALLOWED_ORIGINS: "https:\/\/shop\.example\/" is not an exact origin/);
    assert.throws(core(['https://shop.example/embed']), /not an exact origin/);
    assert.throws(core(['shop.example']), /not an exact origin/);
    assert.throws(core([], 'https://persona.shop.example/'), /PUBLIC_ORIGIN \(publicOrigin\): .* not an exact origin/);
    assert.doesNotThrow(core(['https://shop.example', 'http://127.0.0.1:8080'], 'https://persona.shop.example'));
  });

  it('says how to test from a page opened as a file, which has no origin to allow (the console hint names file:// or null)', () => {
    for (const value of ['file://', 'null']) {
      assert.throws(
        () => createTokenCore({ apiKey: 'k', apiBase: 'http://upstream.test', personas, allowedOrigins: [value], logger: quiet }),
        /cannot be allowed: a page opened from a file .* Serve the page over http instead, e\.g\. `python3 -m http\.server 8080`/,
      );
    }
  });

  it('names the fix when a page without an origin (Origin: null) asks, not a value the setting refuses', async () => {
    const warnings: string[] = [];
    const handle = createTokenCore({
      apiKey: 'k',
      apiBase: 'http://upstream.test',
      personas,
      allowedOrigins: ['https://shop.example'],
      originSettingName: 'ALLOWED_ORIGINS',
      logger: { ...quiet, warn: (_fields: unknown, message?: string) => warnings.push(String(message)) },
    });
    const reply = await handle(
      tokenRequest({ header: (name) => (name === 'origin' ? 'null' : undefined), ownOrigin: 'http://127.0.0.1:8787' }),
    );
    assert.equal(reply.status, 403);
    assert.match(warnings.join('\n'), /Origin: null: opened from a file.*serve the page over http\(s\) and add its origin/);
    assert.doesNotMatch(warnings.join('\n'), /add null to/);
  });
});
