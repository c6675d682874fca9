import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { LOCAL_PERSONA_ID } from '../../server/local-engine/catalog.ts';
import { postJson, setFaults, startApp, useServerAgainstEngine } from './helpers.ts';

const SECRET_KEY = 'sk-live-very-secret-4f9a2b';

describe('token server operations', () => {
  const { engineBase, startServer } = useServerAgainstEngine(SECRET_KEY);

  describe('rate limit', () => {
    it('allows RATE_LIMIT_MAX tokens per window per address, then 429 RATE_LIMITED with Retry-After', async () => {
      const server = await startServer({ RATE_LIMIT_MAX: '2', RATE_LIMIT_WINDOW_MS: '60000' });
      try {
        const url = `${server.url}/api/session-token`;
        assert.equal((await postJson(url, {})).status, 200);
        assert.equal((await postJson(url, {})).status, 200);
        const limited = await postJson(url, {});
        assert.equal(limited.status, 429);
        assert.equal(limited.json?.['code'], 'RATE_LIMITED');
        assert.ok(Number(limited.headers.get('retry-after')) > 0);
        assert.match(await (await fetch(`${server.url}/metrics`)).text(), /anam_rate_limited_total 1/);
      } finally {
        await server.close();
      }
    });

    it('does not count requests it rejects as malformed', async () => {
      const server = await startServer({ RATE_LIMIT_MAX: '1' });
      try {
        const url = `${server.url}/api/session-token`;
        for (let i = 0; i < 3; i++) assert.equal((await postJson(url, { nonsense: true })).status, 400);
        assert.equal((await postJson(url, {})).status, 200);
      } finally {
        await server.close();
      }
    });

    it('tells clients apart by X-Forwarded-For only when TRUST_PROXY says so', async () => {
      for (const [trustProxy, secondStatus] of [
        ['1', 200],
        ['false', 429],
      ] as const) {
        const server = await startServer({ RATE_LIMIT_MAX: '1', TRUST_PROXY: trustProxy });
        try {
          const url = `${server.url}/api/session-token`;
          assert.equal((await postJson(url, {}, { 'x-forwarded-for': '203.0.113.1' })).status, 200);
          assert.equal(
            (await postJson(url, {}, { 'x-forwarded-for': '203.0.113.2' })).status,
            secondStatus,
            `TRUST_PROXY=${trustProxy}`,
          );
        } finally {
          await server.close();
        }
      }
    });
  });

  describe('auth hook', () => {
    it('refuses with 401 UNAUTHORIZED when the hook says no, before anything is minted', async () => {
      const server = await startServer(
        {},
        { authHook: (request: { headers: Record<string, unknown> }) => request.headers['cookie'] === 'session=ok' },
      );
      try {
        const refused = await postJson(`${server.url}/api/session-token`, {});
        assert.equal(refused.status, 401);
        assert.equal(refused.json?.['code'], 'UNAUTHORIZED');
        assert.equal((await postJson(`${server.url}/api/session-token`, {}, { cookie: 'session=ok' })).status, 200);
      } finally {
        await server.close();
      }
    });

    it('rate-limits per user when the hook returns a user id', async () => {
      const server = await startServer(
        { RATE_LIMIT_MAX: '1' },
        { authHook: (request: { headers: Record<string, unknown> }) => ({ userId: String(request.headers['x-user']) }) },
      );
      try {
        const url = `${server.url}/api/session-token`;
        assert.equal((await postJson(url, {}, { 'x-user': 'ada' })).status, 200);
        assert.equal((await postJson(url, {}, { 'x-user': 'grace' })).status, 200, 'another user on the same address');
        assert.equal((await postJson(url, {}, { 'x-user': 'ada' })).status, 429);
      } finally {
        await server.close();
      }
    });
  });

  describe('secrets', () => {
    it('never shows the API key in a response, a log line or an error', async () => {
      const server = await startServer({ LOG_LEVEL: 'trace', UPSTREAM_TIMEOUT_MS: '300' });
      try {
        const url = `${server.url}/api/session-token`;
        const replies = [await postJson(url, {}, { authorization: `Bearer ${SECRET_KEY}` })];
        await setFaults(engineBase(), { authStatus: 500 });
        replies.push(await postJson(url, {}));
        await setFaults(engineBase(), { authDelayMs: 1000 });
        replies.push(await postJson(url, {}));
        await setFaults(engineBase(), {});
        replies.push(await postJson(url, { bad: SECRET_KEY.slice(0, 4) }));
        replies.push(await postJson(`${server.url}/readyz`, {}));
        assert.ok(server.logs.lines.length > 10, 'logs were captured');
        for (const reply of replies) assert.doesNotMatch(reply.text, new RegExp(SECRET_KEY));
        assert.doesNotMatch(server.logs.text, new RegExp(SECRET_KEY));
        assert.doesNotMatch(server.logs.text, /"authorization"/, 'the authorization header is not logged at all');
      } finally {
        await setFaults(engineBase(), {});
        await server.close();
      }
    });
  });

  describe('health, readiness and metrics', () => {
    it('answers /healthz, and /readyz only while the upstream is reachable', async () => {
      const server = await startServer();
      const unreachable = await startApp({
        ANAM_API_KEY: SECRET_KEY,
        ANAM_API_BASE: 'http://127.0.0.1:9',
        ANAM_PERSONA_ID: LOCAL_PERSONA_ID,
      });
      try {
        assert.equal((await fetch(`${server.url}/healthz`)).status, 200);
        assert.equal((await fetch(`${server.url}/readyz`)).status, 200);
        assert.equal((await fetch(`${unreachable.url}/healthz`)).status, 200);
        const notReady = await fetch(`${unreachable.url}/readyz`);
        assert.equal(notReady.status, 503);
        assert.equal(((await notReady.json()) as { code: string }).code, 'UPSTREAM_UNREACHABLE');
      } finally {
        await server.close();
        await unreachable.close();
      }
    });

    it('counts tokens, failures and latency in Prometheus format, behind METRICS_TOKEN when set', async () => {
      const server = await startServer({ METRICS_TOKEN: 'metrics-secret' });
      try {
        await postJson(`${server.url}/api/session-token`, {});
        assert.equal((await fetch(`${server.url}/metrics`)).status, 401);
        const response = await fetch(`${server.url}/metrics`, { headers: { authorization: 'Bearer metrics-secret' } });
        assert.equal(response.status, 200);
        assert.match(String(response.headers.get('content-type')), /text\/plain/);
        const text = await response.text();
        assert.match(text, /^anam_tokens_minted_total 1$/m);
        assert.match(text, /^anam_upstream_latency_seconds_count 1$/m);
      } finally {
        await server.close();
      }
    });
  });

  describe('pages', () => {
    it('serves the demo and the bundle with security headers and a CSP the widget satisfies', async () => {
      const server = await startApp({}, { servePages: true });
      try {
        const page = await fetch(`${server.url}/`);
        assert.equal(page.status, 200);
        const csp = String(page.headers.get('content-security-policy'));
        assert.match(csp, /script-src 'self'/);
        assert.doesNotMatch(csp, /unsafe-inline|unsafe-eval/);
        assert.equal(page.headers.get('x-content-type-options'), 'nosniff');
        assert.match(await page.text(), /\/dist\/anam-persona\.js/);
      } finally {
        await server.close();
      }
    });
  });

  describe('graceful shutdown', () => {
    it('finishes a request in flight before closing', async () => {
      const server = await startServer();
      await setFaults(engineBase(), { authDelayMs: 400 });
      try {
        const inFlight = postJson(`${server.url}/api/session-token`, {});
        await new Promise((resolve) => setTimeout(resolve, 100));
        const closed = server.close();
        const reply = await inFlight;
        await closed;
        assert.equal(reply.status, 200);
        assert.equal(typeof reply.json?.['sessionToken'], 'string');
      } finally {
        await setFaults(engineBase(), {});
      }
    });
  });
});
