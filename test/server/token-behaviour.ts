import assert from 'node:assert/strict';
import { after, before, beforeEach, describe, it } from 'node:test';
import { LOCAL_ENGINE_API_KEY } from '../../server/config.ts';
import { LOCAL_PERSONA_ID } from '../../server/local-engine/catalog.ts';
import { FakeUpstream, fakeToken, json } from './fake-upstream.ts';
import { startEngineApp, type TestApp } from './helpers.ts';

/** What every adapter is configured with, in its own terms (options, env vars, Worker bindings). */
export interface AdapterConfig {
  apiBase: string;
  apiKey: string;
  personaId: string;
  allowedOrigins?: string[];
  publicOrigin?: string;
  rateLimitMax?: number;
  budgetPerHour?: number;
  attemptTimeoutMs?: number;
}

export interface RunningAdapter {
  /** Sends a request to the token endpoint's path (/api/session-token). */
  send(init?: { method?: string; headers?: Record<string, string>; body?: string }): Promise<Response>;
  /** The origin its requests reach (what the Host header says). */
  ownOrigin: string;
  /** The adapter's log so far, when it can be read (not in a Worker). */
  logs?(): string;
  close(): Promise<void>;
}

export type StartAdapter = (config: AdapterConfig) => Promise<RunningAdapter>;

const SHOP = 'https://shop.example';

async function post(adapter: RunningAdapter, body: unknown = {}, headers: Record<string, string> = {}) {
  const sent = typeof body === 'string' ? body : JSON.stringify(body);
  const init = { method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body: sent };
  const response = await adapter.send(init).catch((error: Error) => {
    // fetch's own message ("fetch failed") hides the cause: name the request and the cause (it flaked once in workerd).
    throw new Error(`POST ${JSON.stringify(init.headers)} ${sent.slice(0, 40)}: ${error.message} (${String(error.cause)})`, {
      cause: error,
    });
  });
  const text = await response.text();
  let parsed: Record<string, unknown> | undefined;
  try {
    parsed = JSON.parse(text) as Record<string, unknown>;
  } catch {
    parsed = undefined;
  }
  return { status: response.status, headers: response.headers, json: parsed, text };
}

/**
 * The token endpoint's behaviour, written once and run against each adapter (the core itself, the
 * Fastify plugin, the web handler, the Worker in workerd): what a browser and an operator notice.
 */
export function describeTokenEndpoint(name: string, start: StartAdapter): void {
  describe(`token endpoint behaviour: ${name}`, () => {
    const upstream = new FakeUpstream();
    let engine: TestApp & { base: string };
    let adapter: RunningAdapter;
    const base = (extra: Partial<AdapterConfig> = {}): AdapterConfig => ({
      apiBase: upstream.url,
      apiKey: 'sk-behaviour-secret',
      personaId: LOCAL_PERSONA_ID,
      allowedOrigins: [SHOP],
      rateLimitMax: 1000,
      attemptTimeoutMs: 500,
      ...extra,
    });

    before(async () => {
      await upstream.start();
      engine = await startEngineApp({}, { tokensPerMinute: 10_000 });
      adapter = await start(base());
    });
    after(async () => {
      await adapter?.close();
      await engine?.close();
      await upstream.close();
    });
    beforeEach(() => upstream.reset());

    it('mints a token through the local engine: no-store, with the API base the SDK must use', async () => {
      const real = await start(base({ apiBase: engine.base, apiKey: LOCAL_ENGINE_API_KEY }));
      try {
        const { status, json: body, headers } = await post(real, {}, { origin: SHOP });
        assert.equal(status, 200);
        assert.equal(String(body?.['sessionToken']).split('.').length, 3);
        assert.equal(body?.['apiBaseUrl'], engine.base);
        assert.ok(Date.parse(String(body?.['expiresAt'])) > Date.now());
        assert.equal(headers.get('cache-control'), 'no-store');
        assert.equal(headers.get('access-control-allow-origin'), SHOP);
      } finally {
        await real.close();
      }
    });

    it('takes JSON in UTF-8 only, within its size, with known fields', async () => {
      const cases: Array<[string, string, number, string]> = [
        ['text/plain', '{}', 415, 'UNSUPPORTED_MEDIA_TYPE'],
        ['application/json; charset=utf-16', '{}', 415, 'UNSUPPORTED_MEDIA_TYPE'],
        ['application/json', JSON.stringify({ persona: 'x'.repeat(2000) }), 413, 'BODY_TOO_LARGE'],
        ['application/json', '{"persona":', 400, 'INVALID_REQUEST'],
        ['application/json', '{"persona":"default","extra":1}', 400, 'INVALID_REQUEST'],
        ['application/json', '{"persona":"nobody"}', 400, 'UNKNOWN_PERSONA'],
      ];
      for (const [contentType, body, status, code] of cases) {
        const reply = await post(adapter, body, { 'content-type': contentType });
        assert.equal(reply.status, status, `${contentType} ${body.slice(0, 30)}`);
        assert.equal(reply.json?.['code'], code);
      }
      assert.equal(upstream.calls.length, 0, 'nothing bad reaches the upstream');
      assert.equal(
        (await post(adapter, { persona: 'default' }, { 'content-type': 'application/json; charset=UTF-8' })).status,
        200,
      );
    });

    it('refuses another site with a 403 its widget can read, after a preflight that passes, and mints nothing', async () => {
      const preflight = await adapter.send({
        method: 'OPTIONS',
        headers: { origin: 'https://evil.example', 'access-control-request-method': 'POST' },
      });
      assert.equal(preflight.status, 204);
      assert.equal(preflight.headers.get('access-control-allow-origin'), 'https://evil.example');
      const refused = await post(adapter, {}, { origin: 'https://evil.example' });
      assert.equal(refused.status, 403);
      assert.equal(refused.json?.['code'], 'ORIGIN_NOT_ALLOWED');
      assert.equal(refused.headers.get('access-control-allow-origin'), 'https://evil.example');
      assert.equal(upstream.calls.length, 0);
      if (adapter.logs) assert.match(adapter.logs(), /add https:\/\/evil\.example to /);
    });

    it('trusts a configured public origin over the Host header', async () => {
      const open = await start(base({ allowedOrigins: [] }));
      const pinned = await start(base({ publicOrigin: 'https://persona.shop.example', allowedOrigins: [] }));
      try {
        assert.equal((await post(open, {}, { origin: open.ownOrigin })).status, 200, 'same origin, from Host');
        assert.equal((await post(pinned, {}, { origin: 'https://persona.shop.example' })).status, 200);
        assert.equal((await post(pinned, {}, { origin: pinned.ownOrigin })).status, 403, 'Host no longer decides');
      } finally {
        await open.close();
        await pinned.close();
      }
    });

    it('maps upstream answers honestly: 400 persona invalid, 401 auth, 404 not found, other 4xx refused; none retried', async () => {
      for (const [status, code] of [
        [400, 'ANAM_PERSONA_INVALID'],
        [401, 'ANAM_AUTH_FAILED'],
        [404, 'ANAM_PERSONA_NOT_FOUND'],
        [422, 'ANAM_REQUEST_REFUSED'],
        [409, 'ANAM_REQUEST_REFUSED'],
      ] as const) {
        upstream.reset((_request, response) => json(response, status, { error: 'upstream says no', secret: 'upstream-body' }));
        const reply = await post(adapter);
        assert.equal(reply.status, 502, String(status));
        assert.equal(reply.json?.['code'], code);
        assert.doesNotMatch(reply.text, /upstream-body/);
        assert.equal(upstream.calls.length, 1, `${status} is not retried`);
      }
    });

    it('honours a short Retry-After on 503 and succeeds on the retry', async () => {
      upstream.reset((_request, response, call) =>
        call === 1 ? json(response, 503, {}, { 'retry-after': '1' }) : json(response, 200, { sessionToken: fakeToken() }),
      );
      const started = Date.now();
      assert.equal((await post(adapter)).status, 200);
      assert.equal(upstream.calls.length, 2);
      assert.ok(Date.now() - started >= 950, 'waited the second it was asked to');
    });

    it('clamps what reaches the browser: a Retry-After in 2099 becomes an hour, -1 is ignored', async () => {
      upstream.reset((_request, response) => json(response, 429, {}, { 'retry-after': 'Thu, 01 Jan 2099 00:00:00 GMT' }));
      const far = await post(adapter);
      assert.equal(far.status, 503);
      assert.equal(far.json?.['code'], 'ANAM_RATE_LIMITED');
      assert.equal(far.headers.get('retry-after'), '3600');
      assert.equal(upstream.calls.length, 1, 'an hour is not waited out');
      upstream.reset((_request, response) => json(response, 429, {}, { 'retry-after': '-1' }));
      const negative = await post(adapter);
      assert.ok(Number(negative.headers.get('retry-after')) >= 1);
    });

    it('never follows a redirect: the persona config goes nowhere else', async () => {
      const elsewhere = new FakeUpstream();
      await elsewhere.start();
      try {
        upstream.reset((_request, response) =>
          response.writeHead(307, { location: `${elsewhere.url}/v1/auth/session-token` }).end(),
        );
        const reply = await post(adapter);
        assert.equal(reply.status, 502);
        assert.equal(reply.json?.['code'], 'ANAM_UNAVAILABLE');
        assert.equal(upstream.calls.length, 1);
        assert.equal(elsewhere.calls.length, 0);
      } finally {
        await elsewhere.close();
      }
    });

    it('reads a bounded upstream answer: a huge body is cut off, not buffered', async () => {
      upstream.reset((_request, response) => {
        response.writeHead(200, { 'content-type': 'application/json' });
        const chunk = 'x'.repeat(64 * 1024);
        let sent = 0;
        const pump = () => {
          while (sent < 400 && response.write(chunk)) sent++;
          if (sent < 400 && !response.destroyed) response.once('drain', pump);
          else response.end();
        };
        pump();
      });
      const reply = await post(adapter);
      assert.equal(reply.status, 502);
      assert.equal(reply.json?.['code'], 'ANAM_UNAVAILABLE');
    });

    it('counts tokens per visitor: RATE_LIMITED with Retry-After past the limit', async () => {
      const limited = await start(base({ rateLimitMax: 2 }));
      try {
        const statuses = [];
        for (let i = 0; i < 3; i++) statuses.push(await post(limited));
        assert.deepEqual(
          statuses.map((reply) => reply.status),
          [200, 200, 429],
        );
        assert.equal(statuses[2]!.json?.['code'], 'RATE_LIMITED');
        assert.ok(Number(statuses[2]!.headers.get('retry-after')) > 0);
      } finally {
        await limited.close();
      }
    });

    it('stops at the spending cap: 503 TOKEN_BUDGET_EXHAUSTED with a Retry-After within the hour, warned once', async () => {
      const capped = await start(base({ budgetPerHour: 2 }));
      try {
        const replies = [];
        for (let i = 0; i < 4; i++) replies.push(await post(capped));
        assert.deepEqual(
          replies.map((reply) => reply.status),
          [200, 200, 503, 503],
        );
        assert.equal(replies[3]!.json?.['code'], 'TOKEN_BUDGET_EXHAUSTED');
        const retryAfter = Number(replies[3]!.headers.get('retry-after'));
        assert.ok(retryAfter >= 1 && retryAfter <= 3600, String(retryAfter));
        assert.equal(upstream.calls.length, 2, 'no upstream call past the cap');
        if (capped.logs) assert.equal(capped.logs().match(/TOKEN_BUDGET_PER_HOUR is spent/g)?.length, 1);
      } finally {
        await capped.close();
      }
    });

    it('counts tokens against the cap, not attempts: a request Anam fails gives its unit back', async () => {
      const capped = await start(base({ budgetPerHour: 2 }));
      try {
        // An outage first (a wrong key is not retried), then Anam answers again.
        upstream.reset((_request, response, call) =>
          call <= 3 ? json(response, 401, { message: 'no' }) : json(response, 200, { sessionToken: fakeToken() }),
        );
        const statuses = [];
        for (let i = 0; i < 6; i++) statuses.push((await post(capped)).status);
        assert.deepEqual(statuses, [502, 502, 502, 200, 200, 503]);
      } finally {
        await capped.close();
      }
    });
  });
}
