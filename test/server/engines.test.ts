import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { describe, it } from 'node:test';

const semver = createRequire(import.meta.url)('semver') as {
  satisfies(version: string, range: string): boolean;
  minVersion(range: string): { version: string } | null;
};
const read = (file: string) =>
  JSON.parse(readFileSync(new URL(`../../${file}`, import.meta.url), 'utf8')) as Record<string, unknown>;

/**
 * The only package allowed to ask for more: @fastify/static 10 (whose setHeaders hands over the reply,
 * which the bundle route needs) uses content-disposition 3, which declares Node 22 but runs on 20:
 * the bundle tests exercise it on Node 20. One EBADENGINE warning at npm ci.
 */
const KNOWN_NEWER = new Set(['content-disposition']);

describe('Node engines', () => {
  const declared = (read('package.json')['engines'] as { node: string }).node;
  const lowest = semver.minVersion(declared)!.version;

  it('runs on the Node it declares', () => {
    assert.ok(semver.satisfies(process.versions.node, declared), `Node ${process.versions.node} is outside "${declared}"`);
  });

  it('installs no package that wants a newer Node than the project declares (no EBADENGINE at npm ci)', () => {
    const packages = read('package-lock.json')['packages'] as Record<string, { engines?: { node?: string } | string[] }>;
    const unfit = Object.entries(packages)
      .filter(([path]) => path !== '')
      .map(([path, entry]) => [
        path.replace(/^.*node_modules\//, ''),
        Array.isArray(entry.engines) ? undefined : entry.engines?.node,
      ])
      .filter((pair): pair is [string, string] => typeof pair[1] === 'string' && !semver.satisfies(lowest, pair[1]))
      .filter(([name]) => !KNOWN_NEWER.has(name))
      .map(([name, range]) => `${name} wants node ${range}`);
    assert.deepEqual(unfit, [], `the project declares node ${declared}`);
  });
});
