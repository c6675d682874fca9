import { randomUUID } from 'node:crypto';
import { loudnessAt, planUtterance, type Utterance } from './speech.ts';

/** What the persona's data channel sends for each caption, as Anam's engine does (`speechText`). */
export interface SpeechTextMessage {
  messageType: 'speechText';
  data: {
    message_id: string;
    content_index: number;
    content: string;
    role: 'persona';
    end_of_speech: boolean;
    interrupted: boolean;
  };
}

interface Speaking {
  utterance: Utterance;
  elapsedMs: number;
  nextChunk: number;
}

/**
 * The persona's mouth: a queue of utterances played one after another on a 10 ms clock, giving the
 * loudness for voice and face and the captions to send as each is reached.
 */
export class Speaker {
  private readonly queue: Utterance[] = [];
  private current: Speaking | undefined;
  /** Everything the persona has finished saying, for inspection. */
  readonly spoken: string[] = [];

  constructor(
    private readonly charsPerSecond: number,
    private readonly sendCaption: (message: SpeechTextMessage) => void,
  ) {}

  say(text: string): void {
    if (text.trim() === '') return;
    this.queue.push(planUtterance(randomUUID(), text, this.charsPerSecond));
  }

  get speaking(): boolean {
    return this.current !== undefined || this.queue.length > 0;
  }

  /** Stops at once: the caption stream is closed as interrupted and the queue dropped. */
  interrupt(): void {
    if (this.current) this.finish(this.current, true);
    this.queue.length = 0;
  }

  /** Advances 10 ms; returns how loud the voice is now and which vowel it makes. */
  tick(stepMs: number): { loudness: number; vowel: number } {
    if (!this.current) {
      const next = this.queue.shift();
      if (!next) return { loudness: 0, vowel: 0 };
      this.current = { utterance: next, elapsedMs: 0, nextChunk: 0 };
    }
    const speaking = this.current;
    const { utterance } = speaking;
    while (speaking.nextChunk < utterance.chunks.length && utterance.chunks[speaking.nextChunk]!.atMs <= speaking.elapsedMs) {
      this.caption(utterance, speaking.nextChunk, utterance.chunks[speaking.nextChunk]!.content, false, false);
      speaking.nextChunk++;
    }
    const sound = loudnessAt(utterance, speaking.elapsedMs);
    speaking.elapsedMs += stepMs;
    if (speaking.elapsedMs >= utterance.durationMs) this.finish(speaking, false);
    return sound;
  }

  private finish(speaking: Speaking, interrupted: boolean): void {
    this.caption(speaking.utterance, speaking.nextChunk, '', true, interrupted);
    this.spoken.push(speaking.utterance.text);
    this.current = undefined;
  }

  private caption(utterance: Utterance, index: number, content: string, endOfSpeech: boolean, interrupted: boolean): void {
    this.sendCaption({
      messageType: 'speechText',
      data: {
        message_id: utterance.messageId,
        content_index: index,
        content,
        role: 'persona',
        end_of_speech: endOfSpeech,
        interrupted,
      },
    });
  }
}
