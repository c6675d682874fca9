import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { callSession } from './engine-client.ts';
import { postJson, startEngineApp, type TestApp } from './helpers.ts';

async function waitUntil(what: string, check: () => boolean, timeoutMs = 10_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!check()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

const isRunning = (pid: number) => {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
};

/** A call that is live: the engine said sessionready and the greeting's first caption arrived. */
async function liveCall(engine: { base: string }) {
  const call = await callSession(engine);
  await waitUntil('the session to go live', () => call.signals.some((signal) => signal.actionType === 'sessionready'));
  await waitUntil('the greeting on the data channel', () => call.captions.length > 0);
  return call;
}

describe("local engine media process: node-webrtc's native crashes cost the live calls, not the server", () => {
  let engine: TestApp & { base: string };
  const media = () => engine.app.localEngine!.media;

  before(async () => {
    engine = await startEngineApp();
  });
  after(() => engine.close());

  it('ends the calls of a media process that segfaults, tells their clients why, and goes on minting and calling', async () => {
    const first = await liveCall(engine);
    const crashedPid = media().pid!;
    process.kill(crashedPid, 'SIGSEGV');

    await waitUntil('endsession on the crashed call', () => first.signals.some((signal) => signal.actionType === 'endsession'));
    assert.equal(first.signals.find((signal) => signal.actionType === 'endsession')!.payload, 'media process stopped');
    const freed = () => !engine.app.localEngine!.inspect().sessions.some((session) => session.id === first.sessionId);
    await waitUntil('the crashed call to be freed', freed);
    assert.match(
      engine.logs.text,
      /local engine media process stopped.*"signal":"SIGSEGV"|"signal":"SIGSEGV".*media process stopped/,
    );
    first.client.close();

    const token = await postJson(`${engine.url}/api/session-token`, {});
    assert.equal(token.status, 200, token.text);
    const second = await liveCall(engine);
    assert.notEqual(media().pid, crashedPid, 'a new media process holds the new call');
    assert.equal(isRunning(crashedPid), false);
    second.socket.send(JSON.stringify({ actionType: 'endsession', sessionId: second.sessionId, payload: '' }));
    second.client.close();
  });

  it('stops its media process when the server closes', async () => {
    const other = await startEngineApp();
    const call = await liveCall(other);
    const pid = other.app.localEngine!.media.pid!;
    call.client.close();
    await other.close();
    assert.equal(isRunning(pid), false);
  });
});
