import type { PcmChunk } from './webrtc.ts';

export const SAMPLE_RATE = 48_000;
/** WebRTC's audio sources take exactly 10 ms per call. */
export const SAMPLES_PER_CHUNK = SAMPLE_RATE / 100;

/** Formant pairs (Hz) of five vowels: enough to make a hum sound like talking. */
const VOWEL_FORMANTS: ReadonlyArray<readonly [number, number]> = [
  [800, 1200],
  [500, 1900],
  [300, 2300],
  [500, 900],
  [350, 800],
];
const HARMONICS = 14;
const PEAK_AMPLITUDE = 9000;

/**
 * A soft, speech-like voice: a sung fundamental whose harmonics are shaped by vowel formants and
 * whose loudness follows the syllables. Silence costs nothing.
 */
export class Voice {
  private readonly phases = new Float64Array(HARMONICS);
  private previousLoudness = 0;
  private elapsedSamples = 0;

  /** The next 10 ms of audio, at a loudness (0 to 1) and vowel for this slice of time. */
  next(loudness: number, vowel: number): PcmChunk {
    const from = this.previousLoudness;
    this.previousLoudness = loudness;
    this.elapsedSamples += SAMPLES_PER_CHUNK;
    if (from === 0 && loudness === 0) return chunk(new Int16Array(SAMPLES_PER_CHUNK));
    const mixed = new Float32Array(SAMPLES_PER_CHUNK);
    // A slow wander of pitch keeps the hum from sounding like a test tone.
    const f0 = 175 + 18 * Math.sin((2 * Math.PI * this.elapsedSamples) / (SAMPLE_RATE * 1.7));
    const [f1, f2] = VOWEL_FORMANTS[vowel % VOWEL_FORMANTS.length]!;
    const weights = Array.from({ length: HARMONICS }, (_, index) => {
      const frequency = f0 * (index + 1);
      return Math.exp(-(((frequency - f1) / 250) ** 2)) + 0.6 * Math.exp(-(((frequency - f2) / 300) ** 2)) + 0.08 / (index + 1);
    });
    const total = weights.reduce((sum, weight) => sum + weight, 0);
    for (let h = 0; h < HARMONICS; h++) {
      const step = (2 * Math.PI * f0 * (h + 1)) / SAMPLE_RATE;
      const weight = weights[h]! / total;
      let phase = this.phases[h]!;
      for (let i = 0; i < SAMPLES_PER_CHUNK; i++) {
        const envelope = from + ((loudness - from) * i) / SAMPLES_PER_CHUNK;
        mixed[i] = mixed[i]! + PEAK_AMPLITUDE * envelope * weight * Math.sin(phase);
        phase += step;
      }
      this.phases[h] = phase % (2 * Math.PI);
    }
    return chunk(Int16Array.from(mixed, Math.round));
  }
}

function chunk(samples: Int16Array): PcmChunk {
  return { samples, sampleRate: SAMPLE_RATE, bitsPerSample: 16, channelCount: 1, numberOfFrames: SAMPLES_PER_CHUNK };
}
