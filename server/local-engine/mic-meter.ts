/** How long a loudness reading counts towards the reported level. */
export const LEVEL_WINDOW_MS = 1000;
/** RMS (0 to 1) below which a reading is silence: a codec's decoded silence is not exactly zero. */
const NOISE_FLOOR = 0.001;
/** RMS (0 to 1) above which the visitor counts as speaking. */
const SPEECH_THRESHOLD = 0.01;
/** Milliseconds OF AUDIO above the threshold before speech counts as started (a click or a pop does not). */
export const SPEECH_START_MS = 60;
/** Milliseconds of audio below it before speech counts as ended, so the pauses within a sentence do not. */
export const SPEECH_END_MS = 700;
/** What WebRTC decodes a microphone to, when a chunk does not say. */
const DEFAULT_SAMPLE_RATE = 48_000;

export type SpeechChange = 'started' | 'ended';

/**
 * Measures the visitor's microphone as the engine receives it: the loudest recent level (so a
 * muted mic reads exactly 0) and when speech starts and ends, with hysteresis so one word is one turn.
 *
 * Speech is timed by the audio itself (samples ÷ sample rate), never by when chunks arrive: a busy
 * machine delivers decoded audio in bursts and stalls, and a wall-clock measure would stretch a click
 * into speech or squeeze a word into nothing.
 */
export class MicMeter {
  private readings: Array<{ at: number; level: number }> = [];
  private speaking = false;
  /** Consecutive audio above, and below, the speech threshold, in ms. */
  private aboveMs = 0;
  private belowMs = 0;
  samplesReceived = 0;

  constructor(private readonly now: () => number = Date.now) {}

  /** Takes one chunk of 16-bit samples; tells when speech started or ended with it. */
  measure(samples: Int16Array, sampleRate = DEFAULT_SAMPLE_RATE, channelCount = 1): SpeechChange | undefined {
    let sumOfSquares = 0;
    for (const sample of samples) sumOfSquares += sample * sample;
    const rms = samples.length ? Math.sqrt(sumOfSquares / samples.length) / 32768 : 0;
    const level = rms < NOISE_FLOOR ? 0 : rms;
    const at = this.now();
    this.samplesReceived += samples.length;
    this.readings.push({ at, level });
    this.dropOldReadings(at);
    return this.detectSpeech(level, (samples.length / channelCount / sampleRate) * 1000);
  }

  /** The loudest level received within the last second; 0 when nothing, or only silence, came. */
  get level(): number {
    this.dropOldReadings(this.now());
    return this.readings.reduce((loudest, reading) => Math.max(loudest, reading.level), 0);
  }

  get userSpeaking(): boolean {
    return this.speaking;
  }

  private dropOldReadings(at: number): void {
    const oldest = at - LEVEL_WINDOW_MS;
    let stale = 0;
    while (stale < this.readings.length && this.readings[stale]!.at < oldest) stale++;
    if (stale > 0) this.readings.splice(0, stale);
  }

  private detectSpeech(level: number, durationMs: number): SpeechChange | undefined {
    if (level >= SPEECH_THRESHOLD) {
      this.belowMs = 0;
      this.aboveMs += durationMs;
      if (!this.speaking && this.aboveMs >= SPEECH_START_MS) {
        this.speaking = true;
        return 'started';
      }
    } else {
      this.aboveMs = 0;
      this.belowMs += durationMs;
      if (this.speaking && this.belowMs >= SPEECH_END_MS) {
        this.speaking = false;
        return 'ended';
      }
    }
    return undefined;
  }
}
