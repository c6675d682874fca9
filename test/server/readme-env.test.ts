import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { describe, it } from 'node:test';
import { envFileSetting, readConfig, SERVER_ENV_VARS, TEST_ONLY_ENV_VARS } from '../../server/config.ts';
import { WORKER_BINDINGS, WORKER_ENV_VARS } from '../../server/token-core/worker-env.ts';
import worker from '../../server/token-core/worker.ts';

const readme = readFileSync(new URL('../../README.md', import.meta.url), 'utf8');

/** A README section from its heading to the next heading. */
function section(heading: string): string {
  const start = readme.indexOf(`\n${heading}\n`);
  assert.ok(start >= 0, `the README has a "${heading}" section`);
  return readme.slice(start, readme.indexOf('\n#', start + heading.length + 2));
}

/** The environment table's rows: each variable and whether the Worker column says it reads it. */
const rows = [...section('### Environment variables').matchAll(/^\| `([A-Z][A-Z0-9_]*)` +\|[^|]*\|([^|]*)\|/gm)].map((match) => ({
  name: match[1]!,
  worker: match[2]!.trim() === 'yes',
}));

/** The names `read` looks up in its environment, found by running it on one that records them. */
async function namesRead(read: (env: Record<string, string>) => unknown, values: Record<string, string> = {}) {
  const names = new Set<string>();
  const record = (key: string | symbol) => typeof key === 'string' && names.add(key);
  const env = new Proxy(values, {
    get: (target, key) => (record(key), Reflect.get(target, key)),
    has: (target, key) => (record(key), Reflect.has(target, key)),
  });
  await read(env);
  return [...names].sort();
}

const sorted = (names: readonly string[]) => [...new Set(names)].sort();

describe('README environment variables agree with the code', () => {
  it('the server reads exactly the variables config.ts lists', async () => {
    const read = sorted([...(await namesRead(readConfig)), ...(await namesRead(envFileSetting))]);
    assert.deepEqual(read, sorted(SERVER_ENV_VARS));
  });

  it('the Worker reads exactly the variables and bindings worker-env.ts lists', async () => {
    const preflight = new Request('http://worker.test/api/session-token', { method: 'OPTIONS' });
    const read = await namesRead((env) => worker.fetch(preflight, env), { ANAM_API_KEY: 'key', ANAM_PERSONA_ID: 'p' });
    assert.deepEqual(read, sorted([...WORKER_ENV_VARS, ...WORKER_BINDINGS]));
  });

  it('lists every variable read, each once, and none that nobody reads', () => {
    const documented = rows.map((row) => row.name);
    const read = sorted([...SERVER_ENV_VARS, ...WORKER_ENV_VARS]);
    assert.deepEqual(
      documented.filter((name, index) => documented.indexOf(name) !== index),
      [],
      'rows repeated in the table',
    );
    assert.deepEqual(
      read.filter((name) => !documented.includes(name)),
      [],
      'read by the code, missing from the table',
    );
    assert.deepEqual(
      documented.filter((name) => !read.includes(name)),
      [],
      'in the table, read by nobody',
    );
  });

  it('marks exactly the variables the Worker reads', () => {
    const marked = rows.filter((row) => row.worker).map((row) => row.name);
    assert.deepEqual(sorted(marked), sorted(WORKER_ENV_VARS));
  });

  it('names the Worker bindings in its recipe', () => {
    const recipe = section('## Deploy the token endpoint');
    for (const binding of WORKER_BINDINGS) assert.ok(recipe.includes(`\`${binding}\` binding`), binding);
  });

  it('documents each test-only switch with the test controls it turns on', () => {
    const testControls = section('## The local engine')
      .split('\n\n')
      .find((paragraph) => paragraph.includes('/__test/'));
    assert.ok(testControls, 'the local engine section documents its test controls');
    for (const name of TEST_ONLY_ENV_VARS) {
      assert.match(testControls, new RegExp(`\`${name}=on\``), `${name} turns the test controls on`);
    }
  });
});
