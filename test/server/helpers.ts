import { Writable } from 'node:stream';
import { after, before } from 'node:test';
import type { FastifyInstance } from 'fastify';
import { buildApp, type AppOptions } from '../../server/app.ts';
import { readConfig } from '../../server/config.ts';
import { LOCAL_PERSONA_ID } from '../../server/local-engine/catalog.ts';

/** Every log line an app wrote, as text, so tests can search it (for secrets, for messages). */
export class LogCapture {
  readonly lines: string[] = [];
  readonly stream = new Writable({
    write: (chunk: Buffer, _encoding, done) => {
      this.lines.push(...chunk.toString('utf8').split('\n').filter(Boolean));
      done();
    },
  });
  get text(): string {
    return this.lines.join('\n');
  }
}

export interface TestApp {
  app: FastifyInstance;
  url: string;
  logs: LogCapture;
  close(): Promise<void>;
}

/** Polls `check` every 50 ms until it holds, or fails naming `what` after `timeoutMs`. */
export async function waitUntil(what: string, check: () => boolean, timeoutMs = 10_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!check()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

/** Builds the real app from environment variables and listens on a free loopback port. */
export async function startApp(env: Record<string, string>, options: Omit<AppOptions, 'logger'> = {}): Promise<TestApp> {
  const logs = new LogCapture();
  const config = readConfig({ LOG_LEVEL: 'info', ...env });
  const app = await buildApp(config, { ...options, servePages: options.servePages ?? false, logger: { stream: logs.stream } });
  await app.listen({ port: 0, host: '127.0.0.1' });
  const address = app.server.address();
  const port = typeof address === 'object' && address ? address.port : 0;
  return { app, url: `http://127.0.0.1:${port}`, logs, close: () => app.close() };
}

/** An app running only the local engine (with test controls), to act as the upstream Anam API. */
export async function startEngineApp(
  extraEnv: Record<string, string> = {},
  localEngine: AppOptions['localEngine'] = {},
): Promise<TestApp & { base: string }> {
  const running = await startApp(
    // Every test client comes from loopback: one address, many sessions.
    { LOCAL_ENGINE: 'on', LOCAL_ENGINE_TEST_CONTROLS: 'on', LOCAL_ENGINE_SESSIONS_PER_ADDRESS: '100', ...extraEnv },
    { localEngine },
  );
  return { ...running, base: `${running.url}/local-engine` };
}

/**
 * For a describe block: an engine app standing in for Anam, taking `apiKey`, started before the block's tests
 * and closed after them; `startServer(env)` starts the real app against it with that key and the engine's persona.
 */
export function useServerAgainstEngine(apiKey: string) {
  let engine: TestApp & { base: string };
  before(async () => {
    engine = await startEngineApp({}, { apiKeys: [apiKey], tokensPerMinute: 10_000 });
  });
  after(() => engine.close());
  return {
    /** The engine's API base (…/local-engine), once the block has started. */
    engineBase: () => engine.base,
    startServer: (env: Record<string, string> = {}, options: Omit<AppOptions, 'logger'> = {}) =>
      startApp({ ANAM_API_KEY: apiKey, ANAM_API_BASE: engine.base, ANAM_PERSONA_ID: LOCAL_PERSONA_ID, ...env }, options),
  };
}

export async function setFaults(engineBase: string, faults: Record<string, number>): Promise<void> {
  const response = await fetch(`${engineBase}/__test/faults`, {
    method: 'PUT',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(faults),
  });
  if (!response.ok) throw new Error(`could not set faults: ${response.status}`);
}

export async function postJson(url: string, body: unknown, headers: Record<string, string> = {}) {
  const response = await fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...headers },
    body: typeof body === 'string' ? body : JSON.stringify(body),
  });
  const text = await response.text();
  let json: Record<string, unknown> | undefined;
  try {
    json = JSON.parse(text) as Record<string, unknown>;
  } catch {
    json = undefined;
  }
  return { status: response.status, headers: response.headers, json, text };
}

export function decodeJwtPayload(token: string): Record<string, unknown> {
  return JSON.parse(Buffer.from(token.split('.')[1] ?? '', 'base64url').toString('utf8')) as Record<string, unknown>;
}
