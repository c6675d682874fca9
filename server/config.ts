import { randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { parsePersonaPresets, type PersonaPresets } from './personas.ts';
import { settingReaders, SHARED_RANGES } from './token-core/setting-values.ts';
import { isExactOrigin, isHttpUrl, notAnOriginReason } from './token-core/url-checks.ts';

export const DEFAULT_PORT = 8787;
export const DEFAULT_HOST = '127.0.0.1';
export const ANAM_PUBLIC_API_BASE = 'https://api.anam.ai';
/** Where the local engine is mounted when the server runs it itself. */
export const LOCAL_ENGINE_PREFIX = '/local-engine';
/**
 * The API key of the local engine outside production: not a secret, so tests and benches in other
 * processes can use an engine. In production a mounted engine takes only a key made per process.
 */
export const LOCAL_ENGINE_API_KEY = 'local-engine-development-key';

export interface ServerConfig {
  port: number;
  host: string;
  production: boolean;
  /** The key sent upstream; the local engine's own key when it runs offline. */
  anamApiKey: string;
  /** Upstream API base without a trailing slash; undefined: the mounted local engine, at this server's own address. */
  anamApiBase: string | undefined;
  localEngine: boolean;
  /** Settings of the mounted local engine (LOCAL_ENGINE_* variables). */
  localEngineSettings: {
    testControls: boolean;
    speechCharsPerSecond: number;
    video: { width: number; height: number; fps: number };
    maxConcurrentSessions: number;
    sessionsPerAddress: number;
    maxSessionSeconds: number;
    idleSeconds: number;
    tokensPerMinute: number;
    greet: boolean;
  };
  /** Exact origins allowed to call the token endpoint from other sites. */
  allowedOrigins: string[];
  /** The origin visitors reach this server at (PUBLIC_ORIGIN); trusted over Host for the same-origin shortcut. */
  publicOrigin: string | undefined;
  /** The spending cap: tokens per clock hour for all visitors together (TOKEN_BUDGET_PER_HOUR); undefined is off. */
  tokenBudgetPerHour: number | undefined;
  personas: PersonaPresets;
  /** Whether the browser may send a whole persona config (off unless an operator turns it on). */
  allowClientPersonaConfig: boolean;
  rateLimit: { max: number; windowMs: number };
  /** false, how many proxies stand in front (hop count), or their addresses. */
  trustProxy: number | string | false;
  redisUrl: string | undefined;
  /** While Redis fails: `open` counts limits in each instance alone, `closed` refuses token requests. */
  redisFailureMode: 'open' | 'closed';
  metricsToken: string | undefined;
  /** The module whose default export is the operator's auth hook (AUTH_HOOK_MODULE), loaded by main.ts. */
  authHookModule: string | undefined;
  upstreamTimeoutMs: number;
  logLevel: string;
}

export class ConfigError extends Error {
  constructor(readonly problems: string[]) {
    super(problems.join('\n'));
    this.name = 'ConfigError';
  }
}

/** Switches that exist only for tests; the README documents them with the local engine's test controls. */
export const TEST_ONLY_ENV_VARS = ['LOCAL_ENGINE_TEST_CONTROLS'] as const;

/**
 * Every environment variable the server reads (readConfig, and envFileSetting at start), which are
 * all `npm start`, the production start and the mounted local engine read. Reading one that is not
 * here does not typecheck, and the README's table must list exactly these (readme-env.test.ts).
 */
export const SERVER_ENV_VARS = [
  'PORT',
  'HOST',
  'ANAM_API_KEY',
  'ANAM_API_BASE',
  'ANAM_PERSONA_ID',
  'PERSONAS_FILE',
  'ALLOWED_ORIGINS',
  'PUBLIC_ORIGIN',
  'TOKEN_BUDGET_PER_HOUR',
  'RATE_LIMIT_MAX',
  'RATE_LIMIT_WINDOW_MS',
  'TRUST_PROXY',
  'REDIS_URL',
  'REDIS_FAILURE_MODE',
  'METRICS_TOKEN',
  'ALLOW_CLIENT_PERSONA_CONFIG',
  'UPSTREAM_TIMEOUT_MS',
  'AUTH_HOOK_MODULE',
  'LOG_LEVEL',
  'ENV_FILE',
  'NODE_ENV',
  'LOCAL_ENGINE',
  'LOCAL_ENGINE_VIDEO',
  'LOCAL_ENGINE_SPEECH_RATE',
  'LOCAL_ENGINE_MAX_SESSIONS',
  'LOCAL_ENGINE_SESSIONS_PER_ADDRESS',
  'LOCAL_ENGINE_MAX_SESSION_SECONDS',
  'LOCAL_ENGINE_IDLE_SECONDS',
  'LOCAL_ENGINE_TOKENS_PER_MINUTE',
  'LOCAL_ENGINE_GREETING',
  ...TEST_ONLY_ENV_VARS,
] as const;
export type ServerEnvName = (typeof SERVER_ENV_VARS)[number];
export type ServerEnv = Partial<Record<ServerEnvName, string>>;
type Env = ServerEnv;

/**
 * The file of KEY=value lines to load before readConfig: ENV_FILE, `.env` when unset, none when
 * empty. `explicit`: the operator named it, so a missing file is an error rather than the usual case.
 */
export function envFileSetting(env: Env = process.env): { path: string | undefined; explicit: boolean } {
  const named = env['ENV_FILE'];
  return { path: (named ?? '.env') || undefined, explicit: named !== undefined };
}

/** Reads the environment once into a typed config; every wrong variable becomes one clear line. */
export function readConfig(env: Env = process.env): ServerConfig {
  const problems: string[] = [];
  const problem = (line: string) => problems.push(line);
  const setting = settingReaders<ServerEnvName>((name) => env[name], problem);

  const port = setting.wholeNumber('PORT', { fallback: DEFAULT_PORT, min: 0, max: 65535 });
  const host = (env['HOST'] ?? DEFAULT_HOST).trim() || DEFAULT_HOST;
  // Operators write Production, PRODUCTION…: any spelling of the word means production.
  const production = env['NODE_ENV']?.trim().toLowerCase() === 'production';

  const apiKey = env['ANAM_API_KEY']?.trim() || undefined;
  if (env['ANAM_API_KEY'] !== undefined && env['ANAM_API_KEY'] !== '' && (!apiKey || /\s/.test(apiKey))) {
    problem('ANAM_API_KEY must be a single token without spaces.');
  }
  const localEngineSetting = (env['LOCAL_ENGINE'] ?? '').trim().toLowerCase();
  if (!['', 'on', 'off'].includes(localEngineSetting))
    problem(`LOCAL_ENGINE must be "on" or "off", got "${env['LOCAL_ENGINE']}".`);
  const localEngine = localEngineSetting === 'on' || (localEngineSetting === '' && !apiKey && !production);
  if (!apiKey && !localEngine) {
    problem(
      production
        ? 'ANAM_API_KEY is required when NODE_ENV=production (set LOCAL_ENGINE=on to run the offline engine instead).'
        : 'ANAM_API_KEY is required when LOCAL_ENGINE=off.',
    );
  }

  let anamApiBase = env['ANAM_API_BASE']?.trim() || undefined;
  if (anamApiBase) {
    if (!isHttpUrl(anamApiBase)) problem(`ANAM_API_BASE must be an http(s) URL, got "${anamApiBase}".`);
    anamApiBase = anamApiBase.replace(/\/+$/, '');
  } else if (apiKey) {
    anamApiBase = ANAM_PUBLIC_API_BASE;
  }

  const allowedOrigins = (env['ALLOWED_ORIGINS'] ?? '')
    .split(',')
    .map((origin) => origin.trim())
    .filter(Boolean);
  for (const origin of allowedOrigins) {
    if (!isExactOrigin(origin)) problem(`ALLOWED_ORIGINS: ${notAnOriginReason(origin)}`);
  }

  const publicOrigin = env['PUBLIC_ORIGIN']?.trim().replace(/\/+$/, '') || undefined;
  if (publicOrigin && !isExactOrigin(publicOrigin)) {
    problem(`PUBLIC_ORIGIN must be an exact origin like https://persona.shop.example, got "${publicOrigin}".`);
  }
  const tokenBudget = setting.wholeNumber('TOKEN_BUDGET_PER_HOUR', SHARED_RANGES.TOKEN_BUDGET_PER_HOUR);

  const personas = readPersonas(env, Boolean(apiKey), problem);

  const rateLimit = {
    max: setting.wholeNumber('RATE_LIMIT_MAX', SHARED_RANGES.RATE_LIMIT_MAX),
    windowMs: setting.wholeNumber('RATE_LIMIT_WINDOW_MS', SHARED_RANGES.RATE_LIMIT_WINDOW_MS),
  };

  const trustProxy = readTrustProxy(env['TRUST_PROXY'], problem);
  const redisUrl = env['REDIS_URL']?.trim() || undefined;
  if (redisUrl && !/^rediss?:\/\//.test(redisUrl)) problem(`REDIS_URL must start with redis:// or rediss://.`);
  const redisFailureMode = (env['REDIS_FAILURE_MODE'] ?? '').trim().toLowerCase() || 'open';
  if (redisFailureMode !== 'open' && redisFailureMode !== 'closed') {
    problem(`REDIS_FAILURE_MODE must be "open" or "closed", got "${env['REDIS_FAILURE_MODE']}".`);
  }

  const localEngineSettings = readLocalEngineSettings(env, production, problem);
  const allowClientPersonaConfig = setting.onOff('ALLOW_CLIENT_PERSONA_CONFIG', false);
  const upstreamTimeoutMs = setting.wholeNumber('UPSTREAM_TIMEOUT_MS', SHARED_RANGES.UPSTREAM_TIMEOUT_MS);
  const logLevel = env['LOG_LEVEL']?.trim() || 'info';
  if (!['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'].includes(logLevel)) {
    problem(`LOG_LEVEL must be one of fatal, error, warn, info, debug, trace, silent.`);
  }

  if (problems.length > 0) throw new ConfigError(problems);
  return {
    port,
    host,
    production,
    // A public demo (production, engine mounted) must not mint for anyone who read this file.
    anamApiKey: apiKey ?? (production ? randomBytes(32).toString('base64url') : LOCAL_ENGINE_API_KEY),
    anamApiBase,
    localEngine,
    localEngineSettings,
    allowedOrigins,
    publicOrigin,
    tokenBudgetPerHour: tokenBudget > 0 ? tokenBudget : undefined,
    personas,
    allowClientPersonaConfig,
    rateLimit,
    trustProxy,
    redisUrl,
    redisFailureMode: redisFailureMode === 'closed' ? 'closed' : 'open',
    metricsToken: env['METRICS_TOKEN']?.trim() || undefined,
    authHookModule: env['AUTH_HOOK_MODULE']?.trim() || undefined,
    upstreamTimeoutMs,
    logLevel,
  };
}

function readLocalEngineSettings(
  env: Env,
  production: boolean,
  problem: (line: string) => void,
): ServerConfig['localEngineSettings'] {
  const setting = settingReaders<ServerEnvName>((name) => env[name], problem);
  const testControls = setting.onOff('LOCAL_ENGINE_TEST_CONTROLS', false);
  if (testControls && production) problem('LOCAL_ENGINE_TEST_CONTROLS cannot be on when NODE_ENV=production.');
  const videoSetting = env['LOCAL_ENGINE_VIDEO']?.trim() || '512x512@25';
  const video = /^(\d{2,4})x(\d{2,4})@(\d{1,2})$/.exec(videoSetting);
  const [width, height, fps] = video ? [Number(video[1]), Number(video[2]), Number(video[3])] : [512, 512, 25];
  if (!video || width % 2 || height % 2 || fps < 1 || fps > 60) {
    problem(`LOCAL_ENGINE_VIDEO must look like 512x512@25 (even sizes, 1 to 60 fps), got "${videoSetting}".`);
  }
  return {
    testControls,
    speechCharsPerSecond: setting.wholeNumber('LOCAL_ENGINE_SPEECH_RATE', { fallback: 15, min: 1, max: 1000 }),
    video: { width, height, fps },
    maxConcurrentSessions: setting.wholeNumber('LOCAL_ENGINE_MAX_SESSIONS', { fallback: 8, min: 1, max: 1000 }),
    sessionsPerAddress: setting.wholeNumber('LOCAL_ENGINE_SESSIONS_PER_ADDRESS', { fallback: 2, min: 1, max: 1000 }),
    maxSessionSeconds: setting.wholeNumber('LOCAL_ENGINE_MAX_SESSION_SECONDS', { fallback: 600, min: 10, max: 86_400 }),
    idleSeconds: setting.wholeNumber('LOCAL_ENGINE_IDLE_SECONDS', { fallback: 120, min: 5, max: 86_400 }),
    tokensPerMinute: setting.wholeNumber('LOCAL_ENGINE_TOKENS_PER_MINUTE', { fallback: 120, min: 1, max: 10_000_000 }),
    greet: setting.onOff('LOCAL_ENGINE_GREETING', true),
  };
}

function readPersonas(env: Env, hasApiKey: boolean, problem: (line: string) => void): PersonaPresets {
  const personasFile = env['PERSONAS_FILE']?.trim();
  const personaId = env['ANAM_PERSONA_ID']?.trim();
  try {
    if (personasFile) return parsePersonaPresets(JSON.parse(readFileSync(personasFile, 'utf8')));
    if (personaId) return parsePersonaPresets({ default: 'default', presets: { default: { personaId } } });
  } catch (error) {
    problem(`${personasFile ? `PERSONAS_FILE (${personasFile})` : 'ANAM_PERSONA_ID'}: ${(error as Error).message}`);
  }
  if (hasApiKey && !personasFile && !personaId) {
    problem('PERSONAS_FILE or ANAM_PERSONA_ID is required with ANAM_API_KEY: name the persona(s) visitors may talk to.');
  }
  return parsePersonaPresets(undefined);
}

/**
 * Fastify's trustProxy: false, a hop count, or a comma list of proxy addresses/CIDRs. `true` is
 * refused: it believes the left-most X-Forwarded-For entry, which any client writes itself.
 */
function readTrustProxy(raw: string | undefined, problem: (line: string) => void): number | string | false {
  const value = raw?.trim();
  if (!value || ['false', '0', 'off', 'no'].includes(value.toLowerCase())) return false;
  if (['true', 'on', 'yes'].includes(value.toLowerCase())) {
    problem(
      'TRUST_PROXY=true would let any client pick its own address (and rate limit) with X-Forwarded-For: set the number of proxies in front of this server (e.g. 1) or their addresses (e.g. 10.0.0.0/8,127.0.0.1).',
    );
    return false;
  }
  if (/^\d+$/.test(value)) return Number(value);
  if (/^[0-9a-fA-F.:/, ]+$/.test(value)) return value;
  problem(`TRUST_PROXY must be true, false, a hop count or a list of proxy addresses, got "${value}".`);
  return false;
}
