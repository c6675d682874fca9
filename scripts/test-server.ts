import { spawn, type ChildProcess } from 'node:child_process';
import { createServer } from 'node:net';

/** A free port on loopback, chosen by the OS. */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const probe = createServer();
    probe.once('error', reject);
    probe.listen(0, '127.0.0.1', () => {
      const address = probe.address();
      probe.close(() => (typeof address === 'object' && address ? resolve(address.port) : reject(new Error('no port'))));
    });
  });
}

/** What the test servers run with: the local engine, its test controls, fast speech, quiet logs. */
export const TEST_SERVER_ENV = {
  LOCAL_ENGINE: 'on',
  LOCAL_ENGINE_TEST_CONTROLS: 'on',
  LOCAL_ENGINE_SPEECH_RATE: '60',
  RATE_LIMIT_MAX: '1000',
  // Every test browser comes from loopback: one address.
  LOCAL_ENGINE_SESSIONS_PER_ADDRESS: '100',
  LOG_LEVEL: 'warn',
};

export interface RunningServer {
  url: string;
  pid: number;
  stop(): Promise<void>;
}

/**
 * Starts the real server (`server/main.ts`) in its own process, as `npm start` does, with the local
 * engine's test controls on; resolves once it answers /healthz.
 */
export async function startTestServer(env: Record<string, string> = {}): Promise<RunningServer> {
  const port = await freePort();
  const child: ChildProcess = spawn(process.execPath, ['--import', 'tsx', 'server/main.ts'], {
    env: {
      ...process.env,
      // A developer's own .env (a real ANAM_API_KEY…) must not reach the tests.
      ENV_FILE: '',
      PORT: String(port),
      HOST: '127.0.0.1',
      ...TEST_SERVER_ENV,
      ...env,
    },
    stdio: ['ignore', 'ignore', 'inherit'],
  });
  const url = `http://127.0.0.1:${port}`;
  const deadline = Date.now() + 20_000;
  for (;;) {
    if (child.exitCode !== null) throw new Error(`test server exited with ${child.exitCode}`);
    const healthy = await fetch(`${url}/healthz`).then(
      (response) => response.ok,
      () => false,
    );
    if (healthy) break;
    if (Date.now() > deadline) {
      child.kill('SIGKILL');
      throw new Error('test server did not start within 20 s');
    }
    await new Promise((resolve) => setTimeout(resolve, 150));
  }
  return {
    url,
    pid: child.pid ?? 0,
    stop: () =>
      new Promise<void>((resolve) => {
        if (child.exitCode !== null) return resolve();
        child.once('exit', () => resolve());
        child.kill('SIGTERM');
      }),
  };
}
