import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { faceFrames, MOUTH_LEVELS } from '../../server/local-engine/face.ts';
import { MicMeter } from '../../server/local-engine/mic-meter.ts';
import { Speaker, type SpeechTextMessage } from '../../server/local-engine/speaker.ts';
import { planUtterance } from '../../server/local-engine/speech.ts';
import { SAMPLES_PER_CHUNK, Voice } from '../../server/local-engine/voice.ts';

function differingBytes(a: Uint8Array, b: Uint8Array): number {
  let count = 0;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) count++;
  return count;
}

describe('local engine persona media', () => {
  it('draws an I420 face that is not one flat colour, at the configured size', () => {
    const faces = faceFrames(320, 240);
    const frame = faces.frame(0, false);
    assert.equal(frame.width, 320);
    assert.equal(frame.data.length, 320 * 240 * 1.5);
    const luma = new Set(frame.data.subarray(0, 320 * 240));
    assert.ok(luma.size > 20, `only ${luma.size} luma values`);
  });

  it('opens the mouth wider as speech gets louder, and blinks', () => {
    const faces = faceFrames(256, 256);
    const closed = faces.frame(0, false).data;
    const half = faces.frame(MOUTH_LEVELS / 2, false).data;
    const open = faces.frame(MOUTH_LEVELS - 1, false).data;
    assert.ok(differingBytes(closed, half) > 0);
    assert.ok(differingBytes(closed, open) > differingBytes(closed, half));
    assert.ok(differingBytes(closed, faces.frame(0, true).data) > 0, 'eyes closed differs');
  });

  it('lays speech out in time, with captions in chunks that add up to the text', () => {
    const text = 'Hello there, this is a short sentence to speak.';
    const utterance = planUtterance('m1', text, 15);
    assert.ok(utterance.durationMs > (text.replace(/\W/g, '').length / 15) * 1000 * 0.9);
    assert.equal(utterance.chunks.map((chunk) => chunk.content).join(''), text);
    assert.ok(utterance.chunks.every((chunk, i) => i === 0 || chunk.atMs > utterance.chunks[i - 1]!.atMs));
  });

  it('streams captions as the voice reaches them and closes with end_of_speech', () => {
    const sent: SpeechTextMessage[] = [];
    const speaker = new Speaker(100, (message) => sent.push(message));
    speaker.say('One two three four five six seven.');
    let loudest = 0;
    for (let tick = 0; tick < 300 && speaker.speaking; tick++) loudest = Math.max(loudest, speaker.tick(10).loudness);
    assert.equal(speaker.speaking, false);
    assert.ok(loudest > 0.5);
    assert.equal(sent.map((message) => message.data.content).join(''), 'One two three four five six seven.');
    assert.deepEqual(
      sent.map((message) => message.data.end_of_speech),
      [false, false, false, true],
    );
    assert.ok(sent.every((message) => message.data.role === 'persona' && message.data.message_id === sent[0]!.data.message_id));
    assert.deepEqual(speaker.spoken, ['One two three four five six seven.']);
  });

  it('stops at once when interrupted, marking the caption interrupted', () => {
    const sent: SpeechTextMessage[] = [];
    const speaker = new Speaker(10, (message) => sent.push(message));
    speaker.say('A long sentence that will not be finished.');
    speaker.say('Nor will this one.');
    speaker.tick(10);
    speaker.interrupt();
    assert.equal(speaker.speaking, false);
    const last = sent.at(-1)!.data;
    assert.equal(last.end_of_speech, true);
    assert.equal(last.interrupted, true);
    assert.equal(speaker.tick(10).loudness, 0);
  });

  it('is silent when quiet and audible while speaking', () => {
    const voice = new Voice();
    const silent = voice.next(0, 0);
    assert.equal(silent.samples.length, SAMPLES_PER_CHUNK);
    assert.ok(silent.samples.every((sample) => sample === 0));
    const speaking = voice.next(1, 2);
    assert.ok(Math.max(...speaking.samples.map(Math.abs)) > 1000);
  });

  it('reads a muted microphone as exactly zero, and tells when speech starts and ends', () => {
    let now = 0;
    const meter = new MicMeter(() => now);
    const loud = new Int16Array(480).map((_, i) => Math.round(8000 * Math.sin(i / 5)));
    const changes: Array<string | undefined> = [];
    for (let i = 0; i < 30; i++, now += 10) changes.push(meter.measure(loud));
    assert.ok(meter.level > 0.1);
    assert.ok(changes.includes('started'));
    for (let i = 0; i < 150; i++, now += 10) changes.push(meter.measure(new Int16Array(480)));
    assert.equal(meter.level, 0);
    assert.ok(changes.includes('ended'));
    assert.equal(meter.userSpeaking, false);
  });

  describe('times speech by the audio, not by when its chunks arrive (a loaded machine delivers in bursts)', () => {
    const tone = (chunks: number) =>
      Array.from({ length: chunks }, () => new Int16Array(480).map((_, i) => Math.round(6000 * Math.sin(i / 4))));
    const silence = (chunks: number) => Array.from({ length: chunks }, () => new Int16Array(480));

    it("hears Chromium's fake-microphone beep (about 80 ms of decoded tone) as speech, even when it arrives in one burst", () => {
      const meter = new MicMeter(() => 1000);
      const changes = [...tone(8), ...silence(40)].map((chunk) => meter.measure(chunk, 48_000));
      assert.ok(changes.includes('started'));
    });

    it('does not take a 30 ms click for speech, even when a stall spreads its chunks over 200 ms', () => {
      let now = 0;
      const meter = new MicMeter(() => now);
      const changes = tone(3).map((chunk) => {
        now += 100;
        return meter.measure(chunk, 48_000);
      });
      assert.deepEqual(changes, [undefined, undefined, undefined]);
    });

    it('ends speech after 700 ms of quiet audio, delivered late and all at once', () => {
      const meter = new MicMeter(() => 1000);
      tone(20).forEach((chunk) => meter.measure(chunk, 48_000));
      assert.equal(meter.userSpeaking, true);
      const changes = silence(69).map((chunk) => meter.measure(chunk, 48_000));
      assert.ok(!changes.includes('ended'), 'not after 690 ms');
      assert.equal(meter.measure(silence(1)[0]!, 48_000), 'ended');
    });

    it('reads each chunk at its own sample rate and channel count', () => {
      const meter = new MicMeter(() => 0);
      const narrowband = Array.from({ length: 6 }, () => new Int16Array(160).fill(4000));
      assert.equal(narrowband.map((chunk) => meter.measure(chunk, 16_000)).at(-1), 'started', '6 × 10 ms at 16 kHz');
      const stereo = new MicMeter(() => 0);
      const changes = Array.from({ length: 5 }, () => stereo.measure(new Int16Array(960).fill(4000), 48_000, 2));
      assert.ok(!changes.includes('started'), '5 × 10 ms of stereo is 50 ms, not 100 ms');
    });
  });
});
