import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { LOCAL_ENGINE_API_KEY } from '../../server/config.ts';
import { LOCAL_PERSONA_ID } from '../../server/local-engine/catalog.ts';
import { postJson, startApp, startEngineApp, type TestApp } from './helpers.ts';
import { startRedis, type RedisServer } from './redis-server.ts';

/** A real Redis, the local engine as upstream, and two server instances sharing that Redis, per suite. */
function twoInstancesOnOneRedis(env: Record<string, string>): { first: TestApp; second: TestApp } {
  const instances = {} as { first: TestApp; second: TestApp };
  let redis: RedisServer;
  let engine: TestApp & { base: string };
  before(async () => {
    redis = await startRedis();
    engine = await startEngineApp({}, { tokensPerMinute: 10_000 });
    const shared = {
      ANAM_API_KEY: LOCAL_ENGINE_API_KEY,
      ANAM_API_BASE: engine.base,
      ANAM_PERSONA_ID: LOCAL_PERSONA_ID,
      REDIS_URL: redis.url,
      ...env,
    };
    instances.first = await startApp(shared);
    instances.second = await startApp(shared);
  });
  after(async () => {
    await instances.first?.close();
    await instances.second?.close();
    await engine?.close();
    await redis?.stop();
  });
  return instances;
}

describe('rate limit shared through Redis (REDIS_URL)', () => {
  const instances = twoInstancesOnOneRedis({ RATE_LIMIT_MAX: '3' });

  it('counts requests to two instances against one limit', async () => {
    const { first, second } = instances;
    const statuses = [];
    for (const instance of [first, second, first, second]) {
      statuses.push((await postJson(`${instance.url}/api/session-token`, {})).status);
    }
    assert.deepEqual(statuses, [200, 200, 200, 429]);
  });
});

describe('spending cap shared through Redis (TOKEN_BUDGET_PER_HOUR)', () => {
  const instances = twoInstancesOnOneRedis({ RATE_LIMIT_MAX: '1000', TOKEN_BUDGET_PER_HOUR: '3' });

  it('holds across two instances: 503 TOKEN_BUDGET_EXHAUSTED with Retry-After, counted in /metrics, warned once', async () => {
    const { first, second } = instances;
    const replies = [];
    for (const instance of [first, second, first, second, second]) {
      replies.push(await postJson(`${instance.url}/api/session-token`, {}));
    }
    assert.deepEqual(
      replies.map((reply) => reply.status),
      [200, 200, 200, 503, 503],
    );
    assert.equal(replies[3]!.json?.['code'], 'TOKEN_BUDGET_EXHAUSTED');
    const retryAfter = Number(replies[3]!.headers.get('retry-after'));
    assert.ok(retryAfter >= 1 && retryAfter <= 3600);
    assert.match(await (await fetch(`${second.url}/metrics`)).text(), /anam_token_budget_exhausted_total 2/);
    assert.equal(second.logs.lines.filter((line) => line.includes('TOKEN_BUDGET_PER_HOUR is spent')).length, 1);
  });
});

describe('spending cap shared through Redis: only tokens count', () => {
  let redis: RedisServer;
  let engine: TestApp & { base: string };
  let server: TestApp;
  before(async () => {
    redis = await startRedis();
    engine = await startEngineApp({}, { tokensPerMinute: 10_000 });
  });
  after(async () => {
    await server?.close();
    await engine?.close();
    await redis?.stop();
  });

  it('gives back the unit of a request Anam refused, in Redis', async () => {
    const settings = { ANAM_API_BASE: engine.base, ANAM_PERSONA_ID: LOCAL_PERSONA_ID, REDIS_URL: redis.url };
    const budget = { RATE_LIMIT_MAX: '1000', TOKEN_BUDGET_PER_HOUR: '2' };
    // A wrong key: Anam refuses every request (not retried), and none may spend the hour's cap.
    server = await startApp({ ...settings, ...budget, ANAM_API_KEY: 'sk-wrong-key' });
    for (let i = 0; i < 3; i++) assert.equal((await postJson(`${server.url}/api/session-token`, {})).status, 502);
    await server.close();
    // The key fixed, on the same Redis: the whole cap is there.
    server = await startApp({ ...settings, ...budget, ANAM_API_KEY: LOCAL_ENGINE_API_KEY });
    const statuses = [];
    for (let i = 0; i < 3; i++) statuses.push((await postJson(`${server.url}/api/session-token`, {})).status);
    assert.deepEqual(statuses, [200, 200, 503]);
  });
});

describe('Redis faults (REDIS_FAILURE_MODE)', () => {
  let redis: RedisServer;
  let engine: TestApp & { base: string };
  before(async () => {
    engine = await startEngineApp({}, { tokensPerMinute: 10_000 });
  });
  after(async () => {
    await engine?.close();
  });

  const startServer = (mode: string, env: Record<string, string> = {}) =>
    startApp({
      ANAM_API_KEY: LOCAL_ENGINE_API_KEY,
      ANAM_API_BASE: engine.base,
      ANAM_PERSONA_ID: LOCAL_PERSONA_ID,
      RATE_LIMIT_MAX: '3',
      REDIS_URL: redis.url,
      REDIS_FAILURE_MODE: mode,
      ...env,
    });
  // A request that hangs fails here rather than at the test's end.
  const mint = async (url: string) =>
    (await fetch(`${url}/api/session-token`, { method: 'POST', signal: AbortSignal.timeout(5000) })).status;
  const readiness = async (url: string) => {
    const response = await fetch(`${url}/readyz`, { signal: AbortSignal.timeout(5000) });
    return { status: response.status, body: (await response.json()) as Record<string, unknown> };
  };

  it('keeps answering while Redis is frozen, counts the limit in the instance (open), and says so', async () => {
    redis = await startRedis();
    const server = await startServer('open');
    try {
      assert.equal(await mint(server.url), 200);
      assert.deepEqual((await readiness(server.url)).body, { status: 'ready', upstream: 'reachable', redis: 'reachable' });
      redis.freeze();
      const statuses = [];
      for (let i = 0; i < 4; i++) statuses.push(await mint(server.url));
      assert.deepEqual(statuses, [200, 200, 200, 429], 'the limit still holds, counted in this instance');
      assert.match(server.logs.text, /REDIS IS DOWN: rate limits are now counted by this instance alone/);
      const ready = await readiness(server.url);
      assert.equal(ready.status, 200, 'fail-open: the instance still serves');
      assert.equal(ready.body['redis'], 'unreachable');
    } finally {
      redis.thaw();
      await server.close();
      await redis.stop();
    }
  });

  it('refuses token requests with 503 RATE_LIMIT_UNAVAILABLE while Redis is down (closed), and is not ready', async () => {
    redis = await startRedis();
    const server = await startServer('closed');
    try {
      assert.equal(await mint(server.url), 200);
      await redis.stop();
      const refused = await postJson(`${server.url}/api/session-token`, {});
      assert.equal(refused.status, 503);
      assert.equal(refused.json?.['code'], 'RATE_LIMIT_UNAVAILABLE');
      assert.match(server.logs.text, /REDIS IS DOWN: token requests are refused with 503/);
      const ready = await readiness(server.url);
      assert.equal(ready.status, 503);
      assert.equal(ready.body['code'], 'REDIS_UNREACHABLE');
    } finally {
      await server.close();
    }
  });

  it('keeps the limit when Redis is down (open): no silent switch-off', async () => {
    redis = await startRedis();
    const server = await startServer('open');
    try {
      await redis.stop();
      const statuses = [];
      for (let i = 0; i < 5; i++) statuses.push(await mint(server.url));
      assert.deepEqual(statuses, [200, 200, 200, 429, 429]);
    } finally {
      await server.close();
    }
  });
});
