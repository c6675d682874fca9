import { findPersonaConfigProblems, type PersonaConfig } from './persona-config.ts';
import { LOCAL_AVATAR_ID, LOCAL_LLM_ID, LOCAL_PERSONA_NAME, LOCAL_VOICE_ID } from './local-engine/catalog.ts';

/** Server-side persona presets: the browser names one, it never sends a config itself. */
export interface PersonaPresets {
  defaultPreset: string;
  presets: Map<string, PersonaConfig>;
}

const PRESET_NAME = /^[a-z0-9][a-z0-9_-]{0,63}$/;

/** Presets for the local engine, used when no PERSONAS_FILE is given. */
export const LOCAL_ENGINE_PRESETS = {
  default: 'cara',
  presets: {
    cara: {
      name: LOCAL_PERSONA_NAME,
      avatarId: LOCAL_AVATAR_ID,
      voiceId: LOCAL_VOICE_ID,
      llmId: LOCAL_LLM_ID,
      systemPrompt: 'You are Cara, who helps visitors of a bike shop choose a bike. Keep answers short.',
      tools: [
        {
          type: 'client',
          name: 'show_bike',
          description: "Scroll the visitor's page to a bike and highlight it, when they ask to see one.",
          parameters: {
            type: 'object',
            properties: { model: { type: 'string', description: 'The bike model, e.g. cargo-duo' } },
            required: ['model'],
          },
          awaitResult: true,
        },
      ],
    },
    guide: {
      name: 'Guide',
      avatarId: LOCAL_AVATAR_ID,
      voiceId: LOCAL_VOICE_ID,
      llmId: LOCAL_LLM_ID,
      systemPrompt: 'You are a friendly guide to this website. Keep answers short.',
    },
  },
};

/**
 * Parses the presets file format: `{ "default": "name", "presets": { "name": config, … } }`.
 * Throws one message naming the first thing wrong.
 */
export function parsePersonaPresets(source: unknown): PersonaPresets {
  const file = (source ?? LOCAL_ENGINE_PRESETS) as { default?: unknown; presets?: unknown };
  if (typeof file !== 'object' || file === null || typeof file.presets !== 'object' || file.presets === null) {
    throw new Error('expected { "default": "<name>", "presets": { "<name>": <persona config> } }');
  }
  const presets = new Map<string, PersonaConfig>();
  for (const [name, config] of Object.entries(file.presets as Record<string, unknown>)) {
    if (!PRESET_NAME.test(name)) throw new Error(`preset name "${name}" must be lower-case letters, digits, - or _`);
    const problems = findPersonaConfigProblems(config);
    if (problems.length > 0) throw new Error(`preset "${name}": ${problems.join('; ')}`);
    // A frozen copy: read once, never changed by the caller later (and its upstream body can be written once).
    presets.set(name, deepFreeze(structuredClone(config)) as PersonaConfig);
  }
  if (presets.size === 0) throw new Error('at least one preset is needed');
  const defaultPreset = file.default ?? presets.keys().next().value;
  if (typeof defaultPreset !== 'string' || !presets.has(defaultPreset)) {
    throw new Error(`default preset "${String(defaultPreset)}" is not among the presets`);
  }
  return { defaultPreset, presets };
}

function deepFreeze<T>(value: T): T {
  if (typeof value === 'object' && value !== null && !Object.isFrozen(value)) {
    for (const child of Object.values(value)) deepFreeze(child);
    Object.freeze(value);
  }
  return value;
}
