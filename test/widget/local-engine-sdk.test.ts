import { expect } from '@open-wc/testing';
import { AnamEvent, createClient, type AnamClient } from '@anam-ai/js-sdk';
import { skipWithoutWebRTC } from '../browser-helpers/features.ts';
import { engineSessions, testServerUrl, waitFor } from '../browser-helpers/test-server.ts';

/** How many distinct colours a frame of the video has (a blank or frozen stream has one). */
function distinctColours(video: HTMLVideoElement): number {
  const canvas = document.createElement('canvas');
  canvas.width = 64;
  canvas.height = 64;
  const context = canvas.getContext('2d')!;
  context.drawImage(video, 0, 0, 64, 64);
  const pixels = context.getImageData(0, 0, 64, 64).data;
  const colours = new Set<number>();
  for (let i = 0; i < pixels.length; i += 4) colours.add((pixels[i]! << 16) | (pixels[i + 1]! << 8) | pixels[i + 2]!);
  return colours.size;
}

describe('local engine, driven by the real @anam-ai/js-sdk', () => {
  let client: AnamClient;
  let engineBase: string;
  let video: HTMLVideoElement;
  const personaSays: Array<{ id: string; content: string; endOfSpeech: boolean }> = [];
  const userSpeech: string[] = [];

  const spokenText = (id: string) =>
    personaSays
      .filter((event) => event.id === id)
      .map((event) => event.content)
      .join('');
  const finishedUtterances = () => personaSays.filter((event) => event.endOfSpeech).map((event) => spokenText(event.id));

  before(async function () {
    skipWithoutWebRTC(this);
    const server = await testServerUrl();
    const reply = (await (
      await fetch(`${server}/api/session-token`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{}' })
    ).json()) as {
      sessionToken: string;
      apiBaseUrl: string;
    };
    engineBase = reply.apiBaseUrl;
    client = createClient(reply.sessionToken, { api: { baseUrl: engineBase } });
    client.addListener(AnamEvent.MESSAGE_STREAM_EVENT_RECEIVED, (event) => {
      if (event.role === 'persona') personaSays.push({ id: event.id, content: event.content, endOfSpeech: event.endOfSpeech });
    });
    client.addListener(AnamEvent.USER_SPEECH_STARTED, () => userSpeech.push('started'));
    client.addListener(AnamEvent.USER_SPEECH_ENDED, () => userSpeech.push('ended'));
    video = document.createElement('video');
    video.muted = true;
    video.playsInline = true;
    document.body.append(video);
  });

  after(async () => {
    await client?.stopStreaming();
    video?.remove();
  });

  it('streams a live, moving face once stream() resolves with video and audio', async () => {
    const streams = await client.stream();
    expect(streams.some((stream) => stream.getVideoTracks().length > 0)).to.be.true;
    expect(streams.some((stream) => stream.getAudioTracks().length > 0)).to.be.true;
    video.srcObject = streams.find((stream) => stream.getVideoTracks().length > 0)!;
    await video.play();
    await waitFor('decoded video', () => video.videoWidth > 0);
    expect(video.videoWidth).to.equal(512);
    const startedAt = video.currentTime;
    await waitFor('playback to advance', () => video.currentTime > startedAt + 0.5);
    expect(distinctColours(video)).to.be.greaterThan(10);
  });

  it('greets the visitor, then says exactly what talk() asks', async () => {
    await waitFor('the greeting', () => finishedUtterances().some((text) => text.startsWith("Hi, I'm Cara")));
    await client.talk('Testing the local engine, one two three.');
    await waitFor('the talk text', () => finishedUtterances().includes('Testing the local engine, one two three.'));
  });

  it('answers a sendUserMessage() with its deterministic reply', async () => {
    client.sendUserMessage('hello engine');
    await waitFor('the reply', () => finishedUtterances().some((text) => text.includes('You said: "hello engine"')));
    const [session] = await engineSessions(engineBase);
    expect(session!.messagesReceived.some((message) => message['content'] === 'hello engine')).to.be.true;
  });

  it('hears the microphone, hears silence when muted, and hears it again when unmuted', async () => {
    const micLevel = async () => (await engineSessions(engineBase))[0]?.micLevel ?? -1;
    await waitFor('mic audio at the engine', async () => (await micLevel()) > 0);
    // The fake microphone beeps twice a second: the engine hears speech start with the first beep.
    await waitFor('userSpeechStarted from the engine', () => userSpeech.includes('started'));
    client.muteInputAudio();
    await waitFor('silence at the engine', async () => (await micLevel()) === 0);
    await new Promise((resolve) => setTimeout(resolve, 1200));
    expect(await micLevel(), 'still silent a second later').to.equal(0);
    await waitFor('userSpeechEnded once the muted mic is quiet', () => userSpeech.includes('ended'));
    expect(userSpeech, 'one turn: the beeps are one utterance, the mute ends it').to.deep.equal(['started', 'ended']);
    client.unmuteInputAudio();
    await waitFor('mic audio again', async () => (await micLevel()) > 0);
  });

  it('frees the session on the engine when the client stops', async () => {
    const sessionId = client.getActiveSessionId();
    expect((await engineSessions(engineBase)).map((session) => session.id)).to.include(sessionId);
    await client.stopStreaming();
    await waitFor(
      'the engine to free the session',
      async () => !(await engineSessions(engineBase)).some((session) => session.id === sessionId),
    );
  });
});
