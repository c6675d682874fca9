import { pathToFileURL } from 'node:url';
import closeWithGrace from 'close-with-grace';
import { buildApp } from './app.ts';
import { ConfigError, envFileSetting, readConfig, type ServerConfig } from './config.ts';
import type { AuthHook } from './token-node/fastify-plugin.ts';

/** How long in-flight requests get to finish on SIGTERM before the process exits anyway. */
const SHUTDOWN_GRACE_MS = 10_000;

/**
 * Reads `.env` (or the file ENV_FILE names; ENV_FILE= for none) into the environment. Variables
 * already set win: a process manager's or container's settings override the file.
 */
function loadEnvFile(): void {
  const { path: file, explicit } = envFileSetting();
  if (!file) return;
  try {
    process.loadEnvFile(file);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT' && !explicit) return;
    console.error(`config: could not read ${file}: ${(error as Error).message}`);
    process.exit(1);
  }
}

function loadConfig(): ServerConfig {
  try {
    return readConfig();
  } catch (error) {
    if (error instanceof ConfigError) {
      for (const problem of error.problems) console.error(`config: ${problem}`);
      process.exit(1);
    }
    throw error;
  }
}

/** An operator's auth hook: the default export of the module AUTH_HOOK_MODULE names. */
async function loadAuthHook(modulePath: string | undefined): Promise<AuthHook | undefined> {
  if (!modulePath) return undefined;
  const loaded = (await import(pathToFileURL(modulePath).href)) as { default?: unknown };
  if (typeof loaded.default !== 'function') {
    console.error(`config: AUTH_HOOK_MODULE (${modulePath}) must export a function as its default export.`);
    process.exit(1);
  }
  return loaded.default as AuthHook;
}

loadEnvFile();
const config = loadConfig();
const app = await buildApp(config, { authHook: await loadAuthHook(config.authHookModule) });

/**
 * Signals a fault in native code raises. A JavaScript listener for one makes Node's handler return to
 * the faulting instruction, which faults again, forever: the process would hang at 100% CPU instead of
 * dying, and a process manager would never restart it. (@roamhq/wrtc can fault when a visitor's browser
 * closes the data channel while the local engine sends on it.)
 */
const FAULT_SIGNALS = ['SIGSEGV', 'SIGBUS', 'SIGILL', 'SIGFPE'] as const;

closeWithGrace({ delay: SHUTDOWN_GRACE_MS, skip: [...FAULT_SIGNALS] }, async ({ signal, err }) => {
  if (err) app.log.error({ err }, 'closing after an error');
  else app.log.info({ signal }, 'closing: finishing requests in flight');
  await app.close();
});
// node-webrtc can crash while Node tears down on its own; leave explicitly once closed.
app.addHook('onClose', async () => {
  setImmediate(() => process.exit(process.exitCode ?? 0));
});

try {
  await app.listen({ port: config.port, host: config.host });
} catch (error) {
  console.error(`could not listen on ${config.host}:${config.port}: ${(error as Error).message}`);
  process.exit(1);
}
const address = app.server.address();
const port = typeof address === 'object' && address ? address.port : config.port;
const shownHost = config.host === '0.0.0.0' || config.host === '::' ? 'localhost' : config.host;
console.log(`\n  anam-persona is running: open http://${shownHost}:${port}/\n`);
