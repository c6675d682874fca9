import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('../../', import.meta.url));

interface LockEntry {
  dependencies?: Record<string, string>;
  peerDependencies?: Record<string, string>;
  peerDependenciesMeta?: Record<string, { optional?: boolean }>;
}

/**
 * A lockfile for a project that depends only on the packed tarball, with the tarball's own
 * dependencies pinned exactly as this repository's lockfile has them, so `npm ci --offline`
 * installs it from npm's cache (filled by this repository's own `npm ci`) without the registry.
 */
function lockForTarball(tarball: string): object {
  const repoLock = JSON.parse(readFileSync(join(root, 'package-lock.json'), 'utf8')) as { packages: Record<string, LockEntry> };
  const manifest = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as {
    version: string;
    dependencies: Record<string, string>;
  };
  const picked: Record<string, LockEntry> = {};
  const resolve = (name: string, from: string): string | undefined => {
    for (let parent = from; ;) {
      const key = `${parent ? `${parent}/` : ''}node_modules/${name}`;
      if (repoLock.packages[key]) return key;
      if (!parent) return undefined;
      const cut = parent.lastIndexOf('/node_modules/');
      parent = cut >= 0 ? parent.slice(0, cut) : '';
    }
  };
  const walk = (key: string | undefined) => {
    if (!key || picked[key]) return;
    const entry = repoLock.packages[key]!;
    picked[key] = entry;
    const required = Object.keys(entry.peerDependencies ?? {}).filter((name) => !entry.peerDependenciesMeta?.[name]?.optional);
    for (const name of [...Object.keys(entry.dependencies ?? {}), ...required]) walk(resolve(name, key));
  };
  for (const name of Object.keys(manifest.dependencies)) walk(`node_modules/${name}`);
  return {
    name: 'site',
    version: '1.0.0',
    lockfileVersion: 3,
    requires: true,
    packages: {
      '': { name: 'site', version: '1.0.0', dependencies: { 'anam-persona': `file:${tarball}` } },
      'node_modules/anam-persona': {
        version: manifest.version,
        resolved: `file:${tarball}`,
        dependencies: manifest.dependencies,
      },
      ...picked,
    },
  };
}

describe('the published package (npm pack)', () => {
  let workdir: string;
  let project: string;

  before(() => {
    workdir = mkdtempSync(join(tmpdir(), 'anam-persona-pack-'));
    const packed = JSON.parse(
      execFileSync('npm', ['pack', '--json', '--pack-destination', workdir], { cwd: root, encoding: 'utf8' }),
    ) as Array<{ filename: string }>;
    const tarball = `../${packed[0]!.filename}`;
    project = join(workdir, 'site');
    execFileSync('mkdir', [project]);
    const site = {
      name: 'site',
      version: '1.0.0',
      private: true,
      type: 'module',
      dependencies: { 'anam-persona': `file:${tarball}` },
    };
    writeFileSync(join(project, 'package.json'), JSON.stringify(site));
    writeFileSync(join(project, 'package-lock.json'), JSON.stringify(lockForTarball(tarball)));
    execFileSync('npm', ['ci', '--offline', '--no-audit', '--no-fund', '--ignore-scripts'], { cwd: project, stdio: 'pipe' });
  });
  after(() => rmSync(workdir, { recursive: true, force: true }));

  it('installs into an empty project offline without any server dependency', () => {
    for (const serverOnly of ['fastify', 'ioredis', '@roamhq/wrtc', 'undici', '@fastify/static']) {
      assert.equal(existsSync(join(project, 'node_modules', serverOnly)), false, `${serverOnly} was installed`);
    }
    assert.ok(existsSync(join(project, 'node_modules/anam-persona/dist/anam-persona.js')), 'the one-file script');
  });

  it('imports the element and the web handler, which answers a request', () => {
    const script = `
      const { AnamPersona } = await import('anam-persona');
      const { createSessionTokenHandler } = await import('anam-persona/handlers/web.js');
      const handler = createSessionTokenHandler({ apiKey: 'k', personaId: '7c4f1b2e-5a3d-4e8f-9b6a-0d1c2e3f4a5b', logger: { info() {}, warn() {}, error() {} } });
      const reply = await handler(new Request('https://tokens.example/api/session-token', { method: 'POST', headers: { 'content-type': 'text/plain' }, body: 'x' }));
      console.log(typeof AnamPersona, reply.status, (await reply.json()).code);`;
    const output = execFileSync(process.execPath, ['--input-type=module', '-e', script], { cwd: project, encoding: 'utf8' });
    assert.equal(output.trim(), 'function 415 UNSUPPORTED_MEDIA_TYPE');
  });
});
