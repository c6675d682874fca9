import assert from 'node:assert/strict';
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { after, before, describe, it } from 'node:test';
import { LOCAL_ENGINE_API_KEY } from '../../server/config.ts';
import { LOCAL_PERSONA_ID } from '../../server/local-engine/catalog.ts';
import { freePort } from '../../scripts/test-server.ts';
import { postJson, startApp, startEngineApp, type TestApp } from './helpers.ts';

/** A real redis-server (Debian's package; .ci/run installs it) on a free port, with no persistence. */
async function startRedis(): Promise<{ url: string; process: ChildProcess }> {
  const found = spawnSync('redis-server', ['--version']);
  if (found.error) throw new Error('redis-server is not installed: apt-get install redis-server');
  const port = await freePort();
  const redis = spawn('redis-server', ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no'], {
    stdio: 'ignore',
  });
  for (let attempt = 0; attempt < 50; attempt++) {
    const ping = spawnSync('redis-cli', ['-p', String(port), 'ping'], { encoding: 'utf8' });
    if (ping.stdout?.trim() === 'PONG') return { url: `redis://127.0.0.1:${port}`, process: redis };
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  redis.kill();
  throw new Error('redis-server did not start');
}

describe('rate limit shared through Redis (REDIS_URL)', () => {
  let redis: { url: string; process: ChildProcess };
  let engine: TestApp & { base: string };
  let first: TestApp;
  let second: TestApp;

  before(async () => {
    redis = await startRedis();
    engine = await startEngineApp({}, { tokensPerMinute: 10_000 });
    const env = {
      ANAM_API_KEY: LOCAL_ENGINE_API_KEY,
      ANAM_API_BASE: engine.base,
      ANAM_PERSONA_ID: LOCAL_PERSONA_ID,
      RATE_LIMIT_MAX: '3',
      REDIS_URL: redis.url,
    };
    first = await startApp(env);
    second = await startApp(env);
  });
  after(async () => {
    await first?.close();
    await second?.close();
    await engine?.close();
    redis?.process.kill();
  });

  it('counts requests to two instances against one limit', async () => {
    const statuses = [];
    for (const instance of [first, second, first, second]) {
      statuses.push((await postJson(`${instance.url}/api/session-token`, {})).status);
    }
    assert.deepEqual(statuses, [200, 200, 200, 429]);
  });
});
