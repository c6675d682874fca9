import assert from 'node:assert/strict';
import { execSync, spawn } from 'node:child_process';
import { cpSync, mkdtempSync, readFileSync, rmSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { freePort } from '../../scripts/test-server.ts';
import { startRedis, type RedisServer } from './redis-server.ts';

// Images cannot be pulled here, so the Dockerfile's and the systemd unit's own commands are run as
// written, outside Docker: a production start of the built JavaScript, no TypeScript at run time.
const projectRoot = new URL('../../', import.meta.url).pathname;
const read = (file: string) => readFileSync(join(projectRoot, file), 'utf8');

interface Stage {
  runs: string[];
  env: Record<string, string>;
  copies: string[][];
  cmd: string[] | undefined;
}

/** The Dockerfile's stages: RUN lines, ENV pairs, COPY arguments and the CMD (exec form). */
function dockerStages(text: string): Stage[] {
  const stages: Stage[] = [];
  for (const line of text.split('\n').filter((row) => row.trim() && !row.startsWith('#'))) {
    const [instruction, ...rest] = line.trim().split(/\s+/);
    const argument = line.trim().slice(instruction!.length).trim();
    if (instruction === 'FROM') stages.push({ runs: [], env: {}, copies: [], cmd: undefined });
    const stage = stages.at(-1)!;
    if (instruction === 'RUN') stage.runs.push(argument);
    if (instruction === 'COPY') stage.copies.push(rest);
    if (instruction === 'CMD') stage.cmd = JSON.parse(argument) as string[];
    if (instruction === 'ENV') for (const pair of rest) stage.env[pair.split('=')[0]!] = pair.split('=').slice(1).join('=');
  }
  return stages;
}

/** The unit's ExecStart and Environment. */
function systemdService(text: string): { command: string[]; env: Record<string, string> } {
  const value = (key: string) => text.match(new RegExp(`^${key}=(.*)$`, 'm'))?.[1] ?? '';
  const env = Object.fromEntries(
    value('Environment')
      .split(/\s+/)
      .map((pair) => pair.split('=') as [string, string]),
  );
  return { command: value('ExecStart').split(/\s+/), env };
}

/** The environment compose.yaml gives the server (simple `KEY: value` lines under `environment:`). */
function composeEnvironment(text: string): Record<string, string> {
  const block = text.slice(text.indexOf('environment:')).split('\n').slice(1);
  const env: Record<string, string> = {};
  for (const line of block) {
    const match = /^\s{6}([A-Z_]+): '?([^']*)'?$/.exec(line);
    if (!match) break;
    env[match[1]!] = match[2]!;
  }
  return env;
}

async function waitForHealth(url: string, exited: () => boolean): Promise<void> {
  const deadline = Date.now() + 20_000;
  while (
    !(await fetch(`${url}/healthz`).then(
      (response) => response.ok,
      () => false,
    ))
  ) {
    if (exited()) throw new Error('the server exited at start');
    if (Date.now() > deadline) throw new Error('the server did not start within 20 s');
    await new Promise((resolve) => setTimeout(resolve, 150));
  }
}

describe('production start (Dockerfile, compose.yaml, systemd unit)', () => {
  const [buildStage, runStage] = dockerStages(read('Dockerfile'));
  let folder: string;
  let redis: RedisServer;

  before(async () => {
    redis = await startRedis();
    // The run stage, as Docker would lay it out: what it COPYs (the build stage is what CI just ran), then its RUN lines.
    folder = mkdtempSync(join(tmpdir(), 'anam-persona-image-'));
    for (const args of runStage!.copies) {
      const [source, target] = args[0]!.startsWith('--from') ? [args[1]!.replace('/app/', ''), args[2]!] : [args[0]!, args[1]!];
      // node_modules is large: linked, not copied.
      if (source === 'node_modules') symlinkSync(join(projectRoot, source), join(folder, target));
      else cpSync(join(projectRoot, source), join(folder, target), { recursive: true });
    }
    for (const command of runStage!.runs) execSync(command, { cwd: folder, stdio: 'ignore' });
  });
  after(async () => {
    await redis?.stop();
    if (folder) rmSync(folder, { recursive: true, force: true });
  });

  it('builds with exactly the commands CI runs (npm ci, npm run build)', () => {
    assert.deepEqual(buildStage!.runs, ['npm ci --no-audit --no-fund', 'npm run build']);
    assert.match(read('.ci/run'), /^npm ci --no-audit --no-fund$/m);
    assert.match(JSON.stringify(JSON.parse(read('package.json'))['scripts']), /"build":"[^"]*npm run build:server"/);
  });

  /**
   * Starts `command` as the operator would, on a free port, and resolves once it answers /healthz: its URL,
   * pid, stderr so far, how it exits, and a way to signal it.
   */
  async function startServing(command: readonly string[], env: Record<string, string | undefined>) {
    const port = await freePort();
    const child = spawn(command[0]!, command.slice(1), {
      cwd: folder,
      env: { PATH: process.env['PATH'], ...env, HOST: '127.0.0.1', PORT: String(port), LOG_LEVEL: 'warn' },
      stdio: ['ignore', 'ignore', 'pipe'],
    });
    let stderr = '';
    child.stderr!.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) =>
      child.once('exit', (code, signal) => resolve({ code, signal })),
    );
    const url = `http://127.0.0.1:${port}`;
    try {
      await waitForHealth(url, () => child.exitCode !== null);
    } catch (error) {
      child.kill('SIGKILL');
      throw error;
    }
    return { url, pid: child.pid!, stderr: () => stderr, exited, kill: (signal: NodeJS.Signals) => child.kill(signal) };
  }

  /** Runs `command` (see startServing), hands `use` the server, then stops it with SIGTERM and asserts a clean exit. */
  async function whileServing(
    command: readonly string[],
    env: Record<string, string | undefined>,
    use: (server: { url: string; pid: number; stderr: () => string }) => Promise<void>,
  ): Promise<void> {
    const server = await startServing(command, env);
    try {
      await use(server);
    } finally {
      server.kill('SIGTERM');
    }
    assert.equal((await server.exited).code, 0, `exit code after SIGTERM; stderr: ${server.stderr()}`);
  }

  for (const [name, start] of [
    [
      'the Dockerfile CMD, with compose.yaml environment and Redis',
      () => ({
        command: runStage!.cmd!,
        env: { ...runStage!.env, ...composeEnvironment(read('compose.yaml')), REDIS_URL: redis.url },
      }),
    ],
    ['the systemd unit ExecStart', () => systemdService(read('deploy/anam-persona.service'))],
  ] as const) {
    it(`serves tokens from ${name}, and stops cleanly on SIGTERM`, async () => {
      const { command, env } = start();
      // What the operator's .env would add: the offline engine (no Anam account here).
      await whileServing(command, { ...env, LOCAL_ENGINE: 'on' }, async ({ url, stderr }) => {
        const ready = (await (await fetch(`${url}/readyz`)).json()) as Record<string, unknown>;
        if (env['REDIS_URL']) assert.equal(ready['redis'], 'reachable');
        const minted = await fetch(`${url}/api/session-token`, { method: 'POST' });
        assert.equal(minted.status, 200, stderr());
        await minted.arrayBuffer();
        const bundle = await fetch(`${url}/dist/anam-persona.js`);
        assert.equal(bundle.status, 200, 'the built bundle is served');
        assert.match(await bundle.text(), /anam-persona/);
      });
    });
  }

  it('dies of a fault signal instead of treating it as a shutdown, so a crash cannot hang it', async () => {
    // A real fault in native code (a segfault in the engine's WebRTC library) comes back to the faulting
    // instruction whenever a JavaScript listener takes the signal: the process spun at 100% CPU forever,
    // never answering, never restarted. Sent with kill, the same listener showed as a graceful exit 0.
    const { command, env } = systemdService(read('deploy/anam-persona.service'));
    const server = await startServing(command, { ...env, LOCAL_ENGINE: 'on' });
    try {
      server.kill('SIGSEGV');
      assert.equal((await server.exited).signal, 'SIGSEGV', 'the process ended by the fault signal');
    } finally {
      server.kill('SIGKILL');
    }
  });

  it("maps no WebRTC library in the server: only the local engine's media process does, once a session needs it", async () => {
    const { command, env } = systemdService(read('deploy/anam-persona.service'));
    const mapsWrtc = (pid: number) => /wrtc/.test(readFileSync(`/proc/${pid}/maps`, 'utf8'));
    const children = (pid: number) =>
      readFileSync(`/proc/${pid}/task/${pid}/children`, 'utf8').split(' ').filter(Boolean).map(Number);
    const production = { ANAM_API_KEY: 'sk-production-start-test', ANAM_PERSONA_ID: '00000000-0000-4000-8000-000000000001' };
    await whileServing(command, { ...env, LOCAL_ENGINE: 'off', ...production }, async ({ pid }) => {
      assert.equal(mapsWrtc(pid), false, 'LOCAL_ENGINE=off: the server maps @roamhq/wrtc');
    });
    await whileServing(command, { ...env, LOCAL_ENGINE: 'on' }, async ({ url, pid, stderr }) => {
      const { sessionToken } = (await (await fetch(`${url}/api/session-token`, { method: 'POST' })).json()) as {
        sessionToken: string;
      };
      const session = await fetch(`${url}/local-engine/v1/engine/session`, {
        method: 'POST',
        headers: { authorization: `Bearer ${sessionToken}`, 'content-type': 'application/json' },
        body: '{}',
      });
      assert.equal(session.status, 200, await session.text());
      const deadline = Date.now() + 10_000;
      while (!children(pid).some(mapsWrtc) && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 50));
      assert.equal(children(pid).some(mapsWrtc), true, `no media process with @roamhq/wrtc; stderr: ${stderr()}`);
      assert.equal(mapsWrtc(pid), false, 'LOCAL_ENGINE=on: the server itself maps @roamhq/wrtc');
    });
  });
});
