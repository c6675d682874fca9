import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { ConfigError, readConfig, type ServerEnv } from '../../server/config.ts';
import { LOCAL_PERSONA_ID } from '../../server/local-engine/catalog.ts';
import { workerOptions } from '../../server/token-core/worker-options.ts';

/** What one setting's value comes to, or the line refusing it, as the Node server reads it. */
function onNode(env: ServerEnv): unknown {
  try {
    const config = readConfig({ ANAM_API_KEY: 'key', ANAM_PERSONA_ID: LOCAL_PERSONA_ID, ...env });
    return {
      max: config.rateLimit.max,
      windowMs: config.rateLimit.windowMs,
      budget: config.tokenBudgetPerHour ?? 0,
      attemptMs: config.upstreamTimeoutMs,
      clientConfig: config.allowClientPersonaConfig,
    };
  } catch (error) {
    const lines = error instanceof ConfigError ? error.problems.join(' ') : String(error);
    return `refused: ${lines.includes(Object.keys(env)[0]!)}`;
  }
}

/** The same, as the Worker reads its vars. */
function onWorker(vars: Record<string, string>): unknown {
  try {
    const options = workerOptions({ ANAM_API_KEY: 'key', ANAM_PERSONA_ID: LOCAL_PERSONA_ID, ...vars });
    const limit = options.rateLimit as { max: number; windowMs: number };
    return {
      max: limit.max,
      windowMs: limit.windowMs,
      budget: options.budgetPerHour ?? 0,
      attemptMs: options.attemptTimeoutMs,
      clientConfig: options.allowClientPersonaConfig,
    };
  } catch (error) {
    return `refused: ${(error as Error).message.includes(Object.keys(vars)[0]!)}`;
  }
}

const CASES: Record<string, string>[] = [
  { ALLOW_CLIENT_PERSONA_CONFIG: 'yes' },
  { ALLOW_CLIENT_PERSONA_CONFIG: 'OFF' },
  { ALLOW_CLIENT_PERSONA_CONFIG: 'ture' },
  { RATE_LIMIT_MAX: '25' },
  { RATE_LIMIT_MAX: '0' },
  { RATE_LIMIT_MAX: '2000000' },
  { RATE_LIMIT_MAX: 'ten' },
  { RATE_LIMIT_WINDOW_MS: '500' },
  { RATE_LIMIT_WINDOW_MS: '90000' },
  { TOKEN_BUDGET_PER_HOUR: '300' },
  { TOKEN_BUDGET_PER_HOUR: '-1' },
  { UPSTREAM_TIMEOUT_MS: '2500' },
  { UPSTREAM_TIMEOUT_MS: '60000' },
  {},
];

describe('settings the Node server and the Worker share', () => {
  for (const setting of CASES) {
    const [name, value] = Object.entries(setting)[0] ?? ['(none set)', ''];
    it(`${name}=${value}: the same value on both, or refused on both with a line naming it`, () => {
      assert.deepEqual(onWorker(setting), onNode(setting as ServerEnv));
    });
  }
});
