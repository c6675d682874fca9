import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { liveCall } from './engine-client.ts';
import { postJson, startEngineApp, waitUntil, type TestApp } from './helpers.ts';

const isRunning = (pid: number) => {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
};

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
