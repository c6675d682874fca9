import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { ConfigError, readConfig } from '../../server/config.ts';
import { LOCAL_PERSONA_ID } from '../../server/local-engine/catalog.ts';

function problemsOf(env: Record<string, string>): string[] {
  try {
    readConfig(env);
  } catch (error) {
    assert.ok(error instanceof ConfigError);
    return error.problems;
  }
  return [];
}

describe('config', () => {
  it('starts offline with the local engine and its presets when nothing is set', () => {
    const config = readConfig({});
    assert.equal(config.port, 8787);
    assert.equal(config.host, '127.0.0.1');
    assert.equal(config.localEngine, true);
    assert.equal(config.anamApiBase, undefined);
    assert.equal(config.personas.defaultPreset, 'cara');
    const cara = config.personas.presets.get('cara') as { name: string; tools: Array<{ name: string; type: string }> };
    assert.equal(cara.name, 'Cara');
    assert.deepEqual(
      cara.tools.map((tool) => [tool.type, tool.name]),
      [['client', 'show_bike']],
    );
  });

  it('talks to the real Anam API, without the engine, when a key is set', () => {
    const config = readConfig({ ANAM_API_KEY: 'key-123', ANAM_PERSONA_ID: LOCAL_PERSONA_ID });
    assert.equal(config.localEngine, false);
    assert.equal(config.anamApiBase, 'https://api.anam.ai');
    assert.equal(config.anamApiKey, 'key-123');
  });

  it('refuses production without a key unless the engine is asked for', () => {
    assert.match(problemsOf({ NODE_ENV: 'production' }).join('\n'), /ANAM_API_KEY is required when NODE_ENV=production/);
    assert.equal(readConfig({ NODE_ENV: 'production', LOCAL_ENGINE: 'on' }).localEngine, true);
    assert.match(
      problemsOf({ NODE_ENV: 'production', LOCAL_ENGINE: 'on', LOCAL_ENGINE_TEST_CONTROLS: 'on' }).join(),
      /TEST_CONTROLS/,
    );
  });

  it('reads NODE_ENV in any case: Production is production', () => {
    for (const spelling of ['production', 'Production', 'PRODUCTION', ' production ']) {
      assert.match(problemsOf({ NODE_ENV: spelling }).join('\n'), /ANAM_API_KEY is required when NODE_ENV=production/, spelling);
      assert.equal(readConfig({ NODE_ENV: spelling, LOCAL_ENGINE: 'on' }).production, true, spelling);
    }
    assert.equal(readConfig({ NODE_ENV: 'development' }).production, false);
  });

  it('refuses TRUST_PROXY=true, which lets any client choose its address, and takes hop counts and addresses', () => {
    assert.match(problemsOf({ TRUST_PROXY: 'true' }).join(), /TRUST_PROXY=true would let any client pick its own address/);
    assert.match(problemsOf({ TRUST_PROXY: 'TRUE' }).join(), /number of proxies/);
    assert.equal(readConfig({ TRUST_PROXY: '2' }).trustProxy, 2);
    assert.equal(readConfig({ TRUST_PROXY: '10.0.0.0/8, 127.0.0.1' }).trustProxy, '10.0.0.0/8, 127.0.0.1');
    assert.equal(readConfig({ TRUST_PROXY: 'false' }).trustProxy, false);
  });

  it('takes REDIS_FAILURE_MODE open or closed, open by default', () => {
    assert.equal(readConfig({}).redisFailureMode, 'open');
    assert.equal(readConfig({ REDIS_FAILURE_MODE: 'Closed' }).redisFailureMode, 'closed');
    assert.match(problemsOf({ REDIS_FAILURE_MODE: 'maybe' }).join(), /REDIS_FAILURE_MODE must be "open" or "closed"/);
  });

  it('names every wrong variable on a line of its own', () => {
    const problems = problemsOf({
      PORT: 'eighty',
      ANAM_API_BASE: 'ftp://x',
      ALLOWED_ORIGINS: 'https://ok.example,https://bad.example/path',
      RATE_LIMIT_MAX: '0',
      TRUST_PROXY: 'maybe',
      REDIS_URL: 'localhost:6379',
      LOCAL_ENGINE: 'sometimes',
    });
    for (const variable of [
      'PORT',
      'ANAM_API_BASE',
      'ALLOWED_ORIGINS',
      'RATE_LIMIT_MAX',
      'TRUST_PROXY',
      'REDIS_URL',
      'LOCAL_ENGINE',
    ]) {
      assert.equal(problems.filter((line) => line.startsWith(variable)).length, 1, `${variable} in ${problems.join(' | ')}`);
    }
  });

  it('tells an owner who allows file:// or null (as a page opened from a file asks) to serve the page over http', () => {
    for (const value of ['file://', 'null'])
      assert.match(problemsOf({ ALLOWED_ORIGINS: value }).join(), /ALLOWED_ORIGINS: .* Serve the page over http instead/);
  });

  it('asks which persona to use when a real key is set without presets', () => {
    assert.match(problemsOf({ ANAM_API_KEY: 'key' }).join(), /PERSONAS_FILE or ANAM_PERSONA_ID is required/);
  });

  it('reads a presets file and checks each preset as Anam would', (t) => {
    const folder = mkdtempSync(join(tmpdir(), 'presets-'));
    t.after(() => rmSync(folder, { recursive: true, force: true }));
    const good = join(folder, 'good.json');
    writeFileSync(
      good,
      JSON.stringify({
        default: 'sales',
        presets: {
          sales: { personaId: LOCAL_PERSONA_ID },
          help: { name: 'Help', avatarId: LOCAL_PERSONA_ID, voiceId: LOCAL_PERSONA_ID },
        },
      }),
    );
    const config = readConfig({ ANAM_API_KEY: 'key', PERSONAS_FILE: good });
    assert.equal(config.personas.defaultPreset, 'sales');
    assert.equal(config.personas.presets.size, 2);

    const bad = join(folder, 'bad.json');
    writeFileSync(
      bad,
      JSON.stringify({
        presets: { help: { name: 'Help', avatarId: 'not-a-uuid', voiceId: LOCAL_PERSONA_ID, systemPrompt: 'x'.repeat(2001) } },
      }),
    );
    const line = problemsOf({ ANAM_API_KEY: 'key', PERSONAS_FILE: bad }).join();
    assert.match(line, /PERSONAS_FILE/);
    assert.match(line, /avatarId is required and must be a UUID/);
    assert.match(line, /systemPrompt must be at most 2000 characters/);
  });
});
