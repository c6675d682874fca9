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
  /** Client tools the persona may call in the visitor's page, as Anam's tool config declares them. */
  tools?: ClientToolConfig[];
}
export interface ClientToolConfig {
  type: 'client';
  /** snake_case, 1 to 64 characters: what the page registers with `registerTool(name, …)`. */
  name: string;
  /** When the LLM should use the tool. */
  description: string;
  /** JSON Schema of the tool's arguments. */
  parameters?: { type: 'object'; properties?: Record<string, unknown>; required?: string[] };
  /** Whether the persona waits for the page's result (Anam's default: false). */
  awaitResult?: boolean;
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
  'tools',
]);
const TOOL_FIELDS = new Set(['type', 'name', 'description', 'parameters', 'awaitResult']);
const TOOL_NAME = /^[a-z][a-z0-9_]{0,63}$/;
const MAX_TOOLS = 32;
const TOOL_DESCRIPTION_MAX_LENGTH = 1024;

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
  if (config['tools'] !== undefined) problems.push(...findToolProblems(config['tools']));
  return problems;
}

/** The declared tools: client tools only (the page runs them), each named once. */
function findToolProblems(tools: unknown): string[] {
  if (!Array.isArray(tools) || tools.length > MAX_TOOLS) return [`tools must be an array of at most ${MAX_TOOLS} tools`];
  const problems: string[] = [];
  const names = new Set<string>();
  tools.forEach((tool: unknown, index) => {
    const where = `tools[${index}]`;
    if (typeof tool !== 'object' || tool === null || Array.isArray(tool)) {
      problems.push(`${where} must be an object`);
      return;
    }
    const fields = tool as Record<string, unknown>;
    for (const key of Object.keys(fields)) if (!TOOL_FIELDS.has(key)) problems.push(`${where}.${key} is not a tool field`);
    if (fields['type'] !== 'client') problems.push(`${where}.type must be "client"`);
    const name = fields['name'];
    if (typeof name !== 'string' || !TOOL_NAME.test(name)) problems.push(`${where}.name must be snake_case, 1 to 64 characters`);
    else if (names.has(name)) problems.push(`${where}.name "${name}" is declared twice`);
    else names.add(name);
    const description = fields['description'];
    if (typeof description !== 'string' || description.trim() === '' || description.length > TOOL_DESCRIPTION_MAX_LENGTH) {
      problems.push(`${where}.description is required (1 to ${TOOL_DESCRIPTION_MAX_LENGTH} characters)`);
    }
    const parameters = fields['parameters'] as { type?: unknown } | undefined;
    if (parameters !== undefined && (typeof parameters !== 'object' || parameters === null || parameters.type !== 'object')) {
      problems.push(`${where}.parameters must be a JSON Schema with "type": "object"`);
    }
    if (fields['awaitResult'] !== undefined && typeof fields['awaitResult'] !== 'boolean') {
      problems.push(`${where}.awaitResult must be true or false`);
    }
  });
  return problems;
}
