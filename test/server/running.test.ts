import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { BUILD_OUTPUTS, buildNeeded } from '../../scripts/build-state.js';
import { freePort } from '../../scripts/test-server.ts';

const projectRoot = new URL('../../', import.meta.url).pathname;

/** Starts a command, waits for /healthz; `stop` sends a signal and resolves with the exit code. */
async function run(command: string, args: string[], options: { cwd: string; env: Record<string, string | undefined> }) {
  const port = await freePort();
  const child = spawn(command, args, {
    cwd: options.cwd,
    env: { ...process.env, ENV_FILE: undefined, LOG_LEVEL: 'warn', HOST: '127.0.0.1', PORT: String(port), ...options.env },
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  let stderr = '';
  child.stderr!.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  const url = `http://127.0.0.1:${options.env['PORT'] ?? port}`;
  const deadline = Date.now() + 60_000;
  while (
    !(await fetch(`${url}/healthz`).then(
      (response) => response.ok,
      () => false,
    ))
  ) {
    if (child.exitCode !== null) throw new Error(`exited at start: ${stderr}`);
    if (Date.now() > deadline) throw new Error(`did not start: ${stderr}`);
    await new Promise((resolve) => setTimeout(resolve, 150));
  }
  return {
    url,
    stop: async (signal: NodeJS.Signals) => {
      child.kill(signal);
      return exited;
    },
  };
}

describe('running the server', () => {
  it('reads .env from the working folder; the real environment wins over it', async (t) => {
    const folder = mkdtempSync(join(tmpdir(), 'anam-persona-env-'));
    t.after(() => rmSync(folder, { recursive: true, force: true }));
    writeFileSync(join(folder, '.env'), 'RATE_LIMIT_MAX=1\nLOG_LEVEL=not-a-level\n');
    const server = await run(process.execPath, [join(projectRoot, 'dist-server/main.js')], {
      cwd: folder,
      env: { LOCAL_ENGINE: 'on', RATE_LIMIT_MAX: undefined, LOG_LEVEL: 'warn' },
    });
    try {
      const mint = () => fetch(`${server.url}/api/session-token`, { method: 'POST' }).then((response) => response.status);
      assert.equal(await mint(), 200);
      assert.equal(await mint(), 429, 'RATE_LIMIT_MAX=1 came from .env');
    } finally {
      assert.equal(await server.stop('SIGTERM'), 0);
    }
  });

  for (const signal of ['SIGTERM', 'SIGINT'] as const) {
    it(`stops the whole server when ${signal} is sent to the process npm start began`, async () => {
      const server = await run('npm', ['start'], { cwd: projectRoot, env: { ENV_FILE: '', LOCAL_ENGINE: 'on' } });
      const code = await server.stop(signal);
      assert.equal(code, 0, 'npm start exits cleanly');
      const stillServing = await fetch(`${server.url}/healthz`).then(
        () => true,
        () => false,
      );
      assert.equal(stillServing, false, 'no server left running behind it');
    });
  }

  it('npm start rebuilds when a source is newer than the build, and not otherwise', (t) => {
    const root = `${mkdtempSync(join(tmpdir(), 'anam-persona-build-'))}/`;
    t.after(() => rmSync(root, { recursive: true, force: true }));
    assert.match(String(buildNeeded(root)), /missing/);
    mkdirSync(`${root}widget`);
    writeFileSync(`${root}widget/anam-persona.ts`, '');
    for (const output of BUILD_OUTPUTS) {
      mkdirSync(join(root, output, '..'), { recursive: true });
      writeFileSync(join(root, output), '');
    }
    const past = new Date(Date.now() - 60_000);
    utimesSync(`${root}widget/anam-persona.ts`, past, past);
    utimesSync(`${root}widget`, past, past);
    assert.equal(buildNeeded(root), undefined, 'built after the last change');
    writeFileSync(`${root}widget/anam-persona.ts`, 'changed');
    assert.match(String(buildNeeded(root)), /widget changed since the last build/);
  });
});
