/** Anam's two kinds of persona config, as its session-token API takes them. */
export interface StatefulPersonaConfig {
  personaId: string;
}
export interface EphemeralPersonaConfig {
  name: string;
  avatarId: string;
  voiceId: string;
  llmId?: string;
  systemPrompt?: string;
  maxSessionLengthSeconds?: number;
  languageCode?: string;
}
export type PersonaConfig = StatefulPersonaConfig | EphemeralPersonaConfig;

export const SYSTEM_PROMPT_MAX_LENGTH = 2000;
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const EPHEMERAL_FIELDS = new Set([
  'name',
  'avatarId',
  'voiceId',
  'llmId',
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
  if (typeof config['name'] !== 'string' || config['name'].trim() === '' || config['name'].length > 100) {
    problems.push('name is required (1 to 100 characters)');
  }
  for (const field of ['avatarId', 'voiceId'] as const) {
    if (typeof config[field] !== 'string' || !UUID.test(config[field])) problems.push(`${field} is required and must be a UUID`);
  }
  if (config['llmId'] !== undefined && (typeof config['llmId'] !== 'string' || !UUID.test(config['llmId']))) {
    problems.push('llmId must be a UUID');
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
