/** Anam's two kinds of persona config, as its session-token API takes them. */
export interface StatefulPersonaConfig {
  personaId: string;
}
export interface EphemeralPersonaConfig {
  name?: string;
  avatarId: string;
  /** The avatar model, e.g. "cara-3". */
  avatarModel?: string;
  voiceId: string;
  llmId?: string;
  /** Deprecated by Anam in favour of llmId, still accepted (its values work as LLM IDs). */
  brainType?: string;
  skipGreeting?: boolean;
  systemPrompt?: string;
  maxSessionLengthSeconds?: number;
  languageCode?: string;
}
export type PersonaConfig = StatefulPersonaConfig | EphemeralPersonaConfig;

export const SYSTEM_PROMPT_MAX_LENGTH = 2000;
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
/** A brain type name such as ANAM_GPT_4O_MINI_V1 or ANAM_LLAMA_v3_3_70B_V1, which Anam takes as an LLM ID. */
const BRAIN_TYPE = /^[A-Z][A-Za-z0-9_]{2,63}$/;
const EPHEMERAL_FIELDS = new Set([
  'name',
  'avatarId',
  'avatarModel',
  'voiceId',
  'llmId',
  'brainType',
  'skipGreeting',
  'systemPrompt',
  'maxSessionLengthSeconds',
  'languageCode',
]);

export function isStatefulConfig(config: PersonaConfig): config is StatefulPersonaConfig {
  return 'personaId' in config;
}

/**
 * Checks a persona config field by field the way Anam documents it. Returns the problems found
 * (empty when the config is valid), each naming its field.
 */
export function findPersonaConfigProblems(value: unknown): string[] {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return ['personaConfig must be an object'];
  const config = value as Record<string, unknown>;
  if ('personaId' in config) {
    const extra = Object.keys(config).filter((key) => key !== 'personaId');
    const problems = extra.map((key) => `${key} is not allowed with personaId`);
    if (typeof config['personaId'] !== 'string' || !UUID.test(config['personaId'])) problems.unshift('personaId must be a UUID');
    return problems;
  }
  const problems: string[] = [];
  for (const key of Object.keys(config)) if (!EPHEMERAL_FIELDS.has(key)) problems.push(`${key} is not a persona config field`);
  if (
    config['name'] !== undefined &&
    (typeof config['name'] !== 'string' || config['name'].trim() === '' || config['name'].length > 100)
  ) {
    problems.push('name must be 1 to 100 characters');
  }
  for (const field of ['avatarId', 'voiceId'] as const) {
    if (typeof config[field] !== 'string' || !UUID.test(config[field])) problems.push(`${field} is required and must be a UUID`);
  }
  for (const field of ['llmId', 'brainType'] as const) {
    const value = config[field];
    if (value !== undefined && (typeof value !== 'string' || !(UUID.test(value) || BRAIN_TYPE.test(value)))) {
      problems.push(`${field} must be an LLM ID (a UUID or a brain type such as ANAM_GPT_4O_MINI_V1)`);
    }
  }
  if (config['llmId'] !== undefined && config['brainType'] !== undefined) problems.push('give llmId or brainType, not both');
  if (
    config['avatarModel'] !== undefined &&
    (typeof config['avatarModel'] !== 'string' || !/^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$/.test(config['avatarModel']))
  ) {
    problems.push('avatarModel must be a model name such as "cara-3"');
  }
  if (config['skipGreeting'] !== undefined && typeof config['skipGreeting'] !== 'boolean') {
    problems.push('skipGreeting must be true or false');
  }
  if (config['systemPrompt'] !== undefined) {
    if (typeof config['systemPrompt'] !== 'string') problems.push('systemPrompt must be a string');
    else if (config['systemPrompt'].length > SYSTEM_PROMPT_MAX_LENGTH) {
      problems.push(`systemPrompt must be at most ${SYSTEM_PROMPT_MAX_LENGTH} characters`);
    }
  }
  const maxLength = config['maxSessionLengthSeconds'];
  if (maxLength !== undefined && (typeof maxLength !== 'number' || !Number.isInteger(maxLength) || maxLength < 1)) {
    problems.push('maxSessionLengthSeconds must be a positive whole number');
  }
  if (
    config['languageCode'] !== undefined &&
    (typeof config['languageCode'] !== 'string' || !/^[a-z]{2}(-[A-Z]{2})?$/.test(config['languageCode']))
  ) {
    problems.push('languageCode must look like "en" or "en-GB"');
  }
  return problems;
}
