// The processes `npm run bench:server` compares, each started on its own port with the same upstream
// settings, and how to tell it is up.
import { spawn } from 'node:child_process';
import { freePort } from '../scripts/test-server.ts';

export interface Contender {
  name: string;
  url: string;
  pid: number;
  stop(): Promise<void>;
}

/** What every contender is told: where the fake upstream is, the key, the persona, the allowed site. */
export interface UpstreamSettings {
  ANAM_API_BASE: string;
  ANAM_API_KEY: string;
  ANAM_PERSONA_ID: string;
  ALLOWED_ORIGINS: string;
  /** All the load comes from one address: the limit stays on, high enough not to refuse it. */
  RATE_LIMIT_MAX: string;
}

/** Starts `node <args>` with PORT set and resolves once it answers HTTP at all (any status). */
export async function startProcess(name: string, args: string[], env: Record<string, string>): Promise<Contender> {
  const port = await freePort();
  const child = spawn(process.execPath, args, {
    env: { ...process.env, ENV_FILE: '', PORT: String(port), HOST: '127.0.0.1', ...env },
    stdio: ['ignore', 'ignore', 'inherit'],
  });
  const url = `http://127.0.0.1:${port}`;
  const deadline = Date.now() + 30_000;
  for (;;) {
    if (child.exitCode !== null) throw new Error(`${name} exited with ${child.exitCode}`);
    const answers = await fetch(`${url}/healthz`).then(
      (response) => (response.body?.cancel(), true),
      () => false,
    );
    if (answers) break;
    if (Date.now() > deadline) {
      child.kill('SIGKILL');
      throw new Error(`${name} did not start within 30 s`);
    }
    await new Promise((resolve) => setTimeout(resolve, 150));
  }
  return {
    name,
    url,
    pid: child.pid!,
    stop: () =>
      new Promise<void>((resolve) => {
        if (child.exitCode !== null) return resolve();
        child.once('exit', () => resolve());
        child.kill('SIGTERM');
      }),
  };
}

/** A bench server from this folder, run as TypeScript. */
export function startBenchServer(name: string, file: string, settings: UpstreamSettings): Promise<Contender> {
  return startProcess(name, ['--import', 'tsx', `bench/${file}`], { ...settings });
}

/**
 * This project's server as the README's production start runs it (`NODE_ENV=production node
 * dist-server/main.js`), every protection on: origin allowlist, rate limit, body validation, helmet,
 * redacted info-level logs. `nodeFlags` lets a run profile it (--cpu-prof); `root` names another
 * checkout's build (a baseline to compare with in the same run).
 */
export function startProjectServer(
  name: string,
  settings: UpstreamSettings,
  { nodeFlags = [], root = '.' }: { nodeFlags?: string[]; root?: string } = {},
): Promise<Contender> {
  return startProcess(name, [...nodeFlags, `${root}/dist-server/main.js`], {
    ...settings,
    NODE_ENV: 'production',
    LOCAL_ENGINE: 'off',
    LOG_LEVEL: 'info',
  });
}
