import assert from 'node:assert/strict';
import { after, before, beforeEach, describe, it } from 'node:test';
import { LOCAL_ENGINE_API_KEY } from '../../server/config.ts';
import { LOCAL_PERSONA_ID } from '../../server/local-engine/catalog.ts';
import { postJson, setFaults, startApp, startEngineApp, type TestApp } from './helpers.ts';

const UNKNOWN_PERSONA_ID = '00000000-0000-4000-8000-000000000000';

/** The token server pointed at the local engine as its real upstream, over HTTP. */
async function startTokenServer(upstreamBase: string, env: Record<string, string> = {}, options = {}) {
  return startApp(
    {
      ANAM_API_KEY: LOCAL_ENGINE_API_KEY,
      ANAM_API_BASE: upstreamBase,
      ANAM_PERSONA_ID: LOCAL_PERSONA_ID,
      RATE_LIMIT_MAX: '1000',
      ...env,
    },
    options,
  );
}

async function upstreamFailures(server: TestApp, code: string): Promise<number> {
  const text = await (await fetch(`${server.url}/metrics`)).text();
  const match = new RegExp(`anam_upstream_failures_total\\{code="${code}"\\} (\\d+)`).exec(text);
  return match ? Number(match[1]) : 0;
}

describe('POST /api/session-token', () => {
  let engine: TestApp & { base: string };
  let server: TestApp;

  before(async () => {
    engine = await startEngineApp({}, { restrictedApiKeys: ['restricted-key'], tokensPerMinute: 10_000 });
    server = await startTokenServer(engine.base, { UPSTREAM_TIMEOUT_MS: '400' });
  });
  after(async () => {
    await server.close();
    await engine.close();
  });
  beforeEach(() => setFaults(engine.base, {}));

  const requestToken = (body: unknown = {}, headers: Record<string, string> = {}) =>
    postJson(`${server.url}/api/session-token`, body, headers);

  describe('success', () => {
    it('answers a fresh single-use token with its expiry, not cacheable, and the API base the SDK must use', async () => {
      const { status, json, headers } = await requestToken();
      assert.equal(status, 200);
      assert.equal(String(json?.['sessionToken']).split('.').length, 3);
      assert.ok(Date.parse(String(json?.['expiresAt'])) > Date.now() + 3500_000);
      assert.equal(json?.['apiBaseUrl'], engine.base);
      assert.equal(headers.get('cache-control'), 'no-store');
    });

    it('never hands the same token to two visitors', async () => {
      const tokens = await Promise.all([1, 2, 3, 4].map(async () => (await requestToken()).json?.['sessionToken']));
      assert.equal(new Set(tokens).size, 4);
    });

    it('accepts an empty body and the preset name the widget sends', async () => {
      const response = await fetch(`${server.url}/api/session-token`, { method: 'POST' });
      assert.equal(response.status, 200);
      assert.equal((await requestToken({ persona: 'default' })).status, 200);
    });
  });

  describe('what the browser may send', () => {
    it('rejects anything but { persona } with 400 INVALID_REQUEST', async () => {
      for (const body of [
        { persona: 'default', extra: 1 },
        { personaConfig: { personaId: LOCAL_PERSONA_ID } },
        { persona: 42 },
        [],
      ]) {
        const { status, json } = await requestToken(body);
        assert.equal(status, 400, JSON.stringify(body));
        assert.equal(json?.['code'], 'INVALID_REQUEST');
        assert.equal(typeof json?.['error'], 'string');
      }
    });

    it('answers 400 UNKNOWN_PERSONA for a preset it does not have, naming it as typed', async () => {
      const { status, json } = await requestToken({ persona: 'nobody' });
      assert.equal(status, 400);
      assert.equal(json?.['code'], 'UNKNOWN_PERSONA');
      // Replacement patterns in a name are text, not instructions to the message template.
      const odd = await requestToken({ persona: "$`$'$&" });
      assert.equal(odd.json?.['error'], 'No persona preset is named "$`$\'$&".');
    });

    it('takes JSON only (415), within 1 KB (413), and well-formed (400)', async () => {
      const form = await fetch(`${server.url}/api/session-token`, {
        method: 'POST',
        headers: { 'content-type': 'text/plain' },
        body: 'persona=x',
      });
      assert.equal(form.status, 415);
      assert.equal(((await form.json()) as { code: string }).code, 'UNSUPPORTED_MEDIA_TYPE');
      const large = await requestToken({ persona: 'x'.repeat(2000) });
      assert.equal(large.status, 413);
      assert.equal(large.json?.['code'], 'BODY_TOO_LARGE');
      const broken = await requestToken('{"persona":');
      assert.equal(broken.status, 400);
      assert.equal(broken.json?.['code'], 'INVALID_REQUEST');
    });

    it('validates a whole persona config field by field when the operator allows it', async () => {
      const open = await startTokenServer(engine.base, { ALLOW_CLIENT_PERSONA_CONFIG: 'true' });
      try {
        const url = `${open.url}/api/session-token`;
        assert.equal((await postJson(url, { personaConfig: { personaId: LOCAL_PERSONA_ID } })).status, 200);
        const bad = await postJson(url, {
          personaConfig: { name: 'x', avatarId: 'nope', voiceId: LOCAL_PERSONA_ID, systemPrompt: 'y'.repeat(2001) },
        });
        assert.equal(bad.status, 400);
        assert.match(String(bad.json?.['error']), /avatarId.*systemPrompt/);
        const withTools = await postJson(url, {
          personaConfig: { personaId: LOCAL_PERSONA_ID, tools: [{ type: 'client', name: 'pay', description: 'Pay now' }] },
        });
        assert.equal(withTools.status, 400, 'a browser may not declare tools that run in the page');
        assert.match(String(withTools.json?.['error']), /tools may only be declared in the server's presets/);
      } finally {
        await open.close();
      }
    });
  });

  describe('upstream failures', () => {
    it('maps 401 and 403 to 502 ANAM_AUTH_FAILED, tried once, logged for the operator', async () => {
      for (const key of ['wrong-key', 'restricted-key']) {
        const misconfigured = await startTokenServer(engine.base, { ANAM_API_KEY: key });
        try {
          const { status, json } = await postJson(`${misconfigured.url}/api/session-token`, {});
          assert.equal(status, 502);
          assert.equal(json?.['code'], 'ANAM_AUTH_FAILED');
          assert.equal(await upstreamFailures(misconfigured, key === 'wrong-key' ? '401' : '403'), 1, 'never retried');
          assert.match(misconfigured.logs.text, /rejected ANAM_API_KEY/);
          assert.doesNotMatch(misconfigured.logs.text + JSON.stringify(json), new RegExp(key));
        } finally {
          await misconfigured.close();
        }
      }
    });

    it('maps 404 to 502 ANAM_PERSONA_NOT_FOUND and 400 to 502 ANAM_PERSONA_INVALID, never retried', async () => {
      const unknown = await startTokenServer(engine.base, { ANAM_PERSONA_ID: UNKNOWN_PERSONA_ID });
      try {
        const { status, json } = await postJson(`${unknown.url}/api/session-token`, {});
        assert.equal(status, 502);
        assert.equal(json?.['code'], 'ANAM_PERSONA_NOT_FOUND');
        assert.equal(await upstreamFailures(unknown, '404'), 1);
      } finally {
        await unknown.close();
      }
      await setFaults(engine.base, { authStatus: 400 });
      const invalid = await requestToken();
      assert.equal(invalid.status, 502);
      assert.equal(invalid.json?.['code'], 'ANAM_PERSONA_INVALID');
    });

    it('retries 429 three times, then answers 503 ANAM_RATE_LIMITED with Retry-After', async () => {
      const before = await upstreamFailures(server, '429');
      await setFaults(engine.base, { authStatus: 429 });
      const { status, json, headers } = await requestToken();
      assert.equal(status, 503);
      assert.equal(json?.['code'], 'ANAM_RATE_LIMITED');
      assert.ok(Number(headers.get('retry-after')) > 0);
      assert.equal((await upstreamFailures(server, '429')) - before, 3);
    });

    it('retries 5xx three times, then answers 502 ANAM_UNAVAILABLE without the upstream body', async () => {
      const before = await upstreamFailures(server, '500');
      await setFaults(engine.base, { authStatus: 500 });
      const { status, json, text } = await requestToken();
      assert.equal(status, 502);
      assert.equal(json?.['code'], 'ANAM_UNAVAILABLE');
      assert.doesNotMatch(text, /Injected fault/);
      assert.equal((await upstreamFailures(server, '500')) - before, 3);
    });

    it('gives up on a slow upstream after the per-attempt timeout: 504 ANAM_TIMEOUT', async () => {
      await setFaults(engine.base, { authDelayMs: 1000 });
      const started = Date.now();
      const { status, json } = await requestToken();
      assert.equal(status, 504);
      assert.equal(json?.['code'], 'ANAM_TIMEOUT');
      assert.ok(Date.now() - started < 3000, 'three attempts of 400 ms, with backoff');
    });

    it('recovers when a retry succeeds', async () => {
      await setFaults(engine.base, { authStatus: 503 });
      const pending = requestToken();
      setTimeout(() => void setFaults(engine.base, {}), 100);
      assert.equal((await pending).status, 200);
    });

    it('answers 502 ANAM_UNAVAILABLE when the upstream cannot be reached', async () => {
      const nowhere = await startTokenServer('http://127.0.0.1:9/v1-nowhere');
      try {
        const { status, json } = await postJson(`${nowhere.url}/api/session-token`, {});
        assert.equal(status, 502);
        assert.equal(json?.['code'], 'ANAM_UNAVAILABLE');
      } finally {
        await nowhere.close();
      }
    });
  });

  describe('CORS', () => {
    let cors: TestApp;
    before(async () => {
      cors = await startTokenServer(engine.base, { ALLOWED_ORIGINS: 'https://shop.example' });
    });
    after(() => cors.close());

    it('serves an allowed origin, with credentials', async () => {
      const { status, headers } = await postJson(`${cors.url}/api/session-token`, {}, { origin: 'https://shop.example' });
      assert.equal(status, 200);
      assert.equal(headers.get('access-control-allow-origin'), 'https://shop.example');
      assert.equal(headers.get('access-control-allow-credentials'), 'true');
    });

    it('gives a disallowed origin no token: 403 ORIGIN_NOT_ALLOWED', async () => {
      const before = engine.app.localEngine!.inspect();
      const { status, json, text } = await postJson(`${cors.url}/api/session-token`, {}, { origin: 'https://evil.example' });
      assert.equal(status, 403);
      assert.equal(json?.['code'], 'ORIGIN_NOT_ALLOWED');
      assert.doesNotMatch(text, /sessionToken/);
      assert.equal(engine.app.localEngine!.inspect().sessionsStarted, before.sessionsStarted);
    });

    it('answers the preflight of an allowed origin and refuses a disallowed one', async () => {
      const preflight = (origin: string) =>
        fetch(`${cors.url}/api/session-token`, {
          method: 'OPTIONS',
          headers: { origin, 'access-control-request-method': 'POST', 'access-control-request-headers': 'content-type' },
        });
      const allowed = await preflight('https://shop.example');
      assert.equal(allowed.status, 204);
      assert.equal(allowed.headers.get('access-control-allow-origin'), 'https://shop.example');
      assert.match(String(allowed.headers.get('access-control-allow-methods')), /POST/);
      // A refused site's preflight passes, so its browser lets the widget read the 403 that follows.
      const refused = await preflight('https://evil.example');
      assert.equal(refused.status, 204);
      assert.equal(refused.headers.get('access-control-allow-origin'), 'https://evil.example');
      const post = await postJson(`${cors.url}/api/session-token`, {}, { origin: 'https://evil.example' });
      assert.equal(post.status, 403);
      assert.equal(post.headers.get('access-control-allow-origin'), 'https://evil.example');
      assert.equal(post.json?.['code'], 'ORIGIN_NOT_ALLOWED');
    });

    it('warns the operator once per refused origin, naming ALLOWED_ORIGINS', async () => {
      const url = `${cors.url}/api/session-token`;
      for (let i = 0; i < 3; i++) await postJson(url, {}, { origin: 'https://forgotten.example' });
      const warnings = cors.logs.lines.filter((line) => line.includes('add https://forgotten.example to ALLOWED_ORIGINS'));
      assert.equal(warnings.length, 1);
      assert.equal((JSON.parse(warnings[0]!) as { level: number }).level, 40);
    });

    it('always serves its own origin', async () => {
      const { status } = await postJson(`${cors.url}/api/session-token`, {}, { origin: cors.url });
      assert.equal(status, 200);
    });
  });
});
