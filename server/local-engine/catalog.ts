/**
 * What the local engine knows, as an Anam account would: one saved (stateful) persona, and the
 * avatar, voice and LLM an ephemeral persona may name. The IDs are fixed so presets can name them.
 */
export const LOCAL_PERSONA_ID = '7c4f1b2e-5a3d-4e8f-9b6a-0d1c2e3f4a5b';
export const LOCAL_AVATAR_ID = '30fa96d0-26c4-4e55-94a0-517025942e18';
export const LOCAL_VOICE_ID = '6bfbe25a-979d-40f3-a92b-5394170af54b';
export const LOCAL_LLM_ID = '0934d97d-0c3a-4f33-91b0-5e136a0ef466';

export const LOCAL_PERSONA_NAME = 'Cara';

export const KNOWN_PERSONA_IDS = new Set([LOCAL_PERSONA_ID]);
export const KNOWN_AVATAR_IDS = new Set([LOCAL_AVATAR_ID]);
export const KNOWN_VOICE_IDS = new Set([LOCAL_VOICE_ID]);
/** Anam's brain types work as LLM IDs (and as the deprecated brainType field). */
export const KNOWN_LLM_IDS = new Set([LOCAL_LLM_ID, 'ANAM_GPT_4O_MINI_V1', 'ANAM_LLAMA_v3_3_70B_V1', 'CUSTOMER_CLIENT_V1']);

/** What a persona says first, as Anam's personas greet the visitor when the session opens. */
export function greetingFor(personaName: string): string {
  return `Hi, I'm ${personaName}. Ask me anything, or type a message below.`;
}

/** The engine's deterministic answer to a visitor's message, so tests can assert on it. */
export function replyTo(userMessage: string): string {
  const quoted = userMessage.trim().replace(/\s+/g, ' ').slice(0, 200);
  return `You said: "${quoted}". I'm the local engine, so I can only repeat what I hear.`;
}
