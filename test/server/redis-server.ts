import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { freePort } from '../../scripts/test-server.ts';

export interface RedisServer {
  url: string;
  process: ChildProcess;
  /** SIGSTOP: the socket stays open and nothing answers, as a hung Redis does. */
  freeze(): void;
  thaw(): void;
  stop(): Promise<void>;
}

/** A real redis-server (Debian's package; .ci/run installs it) on a free port, with no persistence. */
export async function startRedis(): Promise<RedisServer> {
  const found = spawnSync('redis-server', ['--version']);
  if (found.error) throw new Error('redis-server is not installed: apt-get install redis-server');
  const port = await freePort();
  const redis = spawn('redis-server', ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no'], {
    stdio: 'ignore',
  });
  const server: RedisServer = {
    url: `redis://127.0.0.1:${port}`,
    process: redis,
    freeze: () => redis.kill('SIGSTOP'),
    thaw: () => redis.kill('SIGCONT'),
    stop: () =>
      new Promise<void>((resolve) => {
        if (redis.exitCode !== null || redis.signalCode !== null) return resolve();
        redis.once('exit', () => resolve());
        redis.kill('SIGCONT');
        redis.kill('SIGTERM');
      }),
  };
  for (let attempt = 0; attempt < 50; attempt++) {
    const ping = spawnSync('redis-cli', ['-p', String(port), 'ping'], { encoding: 'utf8' });
    if (ping.stdout?.trim() === 'PONG') return server;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  await server.stop();
  throw new Error('redis-server did not start');
}
