/** One vowel-like sound of an utterance, in milliseconds from the utterance's start. */
export interface Syllable {
  startMs: number;
  endMs: number;
  /** Which vowel colours the sound (an index into the voice's formant table). */
  vowel: number;
}

/** A piece of the utterance's text, sent as a caption when its first word is heard. */
export interface TextChunk {
  atMs: number;
  content: string;
}

export interface Utterance {
  messageId: string;
  text: string;
  durationMs: number;
  syllables: Syllable[];
  chunks: TextChunk[];
}

const WORDS_PER_CHUNK = 3;
const PAUSE_AFTER_PUNCTUATION_MS = 220;
const GAP_BETWEEN_WORDS_MS = 40;
const VOWEL_COUNT = 5;

/**
 * Lays an utterance out in time, as a speaking persona would: words last in proportion to their
 * letters at `charsPerSecond`, punctuation adds a pause, captions come in chunks of a few words.
 */
export function planUtterance(messageId: string, text: string, charsPerSecond: number): Utterance {
  const msPerChar = 1000 / charsPerSecond;
  const words = text.trim().split(/\s+/).filter(Boolean);
  const syllables: Syllable[] = [];
  const chunks: TextChunk[] = [];
  let clock = 0;
  words.forEach((word, index) => {
    if (index % WORDS_PER_CHUNK === 0) {
      const group = words.slice(index, index + WORDS_PER_CHUNK).join(' ');
      chunks.push({ atMs: clock, content: index === 0 ? group : ` ${group}` });
    }
    const letters = word.replace(/[^\p{L}\p{N}]/gu, '');
    const wordMs = Math.max(1, letters.length) * msPerChar;
    const syllableCount = Math.max(1, Math.round(letters.length / 3));
    const syllableMs = wordMs / syllableCount;
    for (let s = 0; s < syllableCount; s++) {
      const startMs = clock + s * syllableMs;
      const letter = letters.charCodeAt(s * 3) || 97;
      syllables.push({ startMs, endMs: startMs + syllableMs, vowel: letter % VOWEL_COUNT });
    }
    clock += wordMs + GAP_BETWEEN_WORDS_MS + (/[.,;:!?]$/.test(word) ? PAUSE_AFTER_PUNCTUATION_MS : 0);
  });
  return { messageId, text, durationMs: clock, syllables, chunks };
}

/** How loud the voice is at `atMs` into the utterance (0 to 1): a rise and fall per syllable. */
export function loudnessAt(utterance: Utterance, atMs: number): { loudness: number; vowel: number } {
  // Syllables are few; a linear scan from a moving hint would be faster, but this is not hot.
  for (const syllable of utterance.syllables) {
    if (atMs < syllable.startMs) break;
    if (atMs < syllable.endMs) {
      const phase = (atMs - syllable.startMs) / (syllable.endMs - syllable.startMs);
      return { loudness: Math.sin(Math.PI * phase) ** 0.6, vowel: syllable.vowel };
    }
  }
  return { loudness: 0, vowel: 0 };
}
