import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import WebSocket from 'ws';
import { liveCall, openSession } from './engine-client.ts';
import { startEngineApp, waitUntil, type TestApp } from './helpers.ts';

describe('local engine session lifecycle', () => {
  let engine: TestApp & { base: string };
  const alive = (id: string) => engine.app.localEngine!.inspect().sessions.some((session) => session.id === id);

  before(async () => {
    engine = await startEngineApp({}, { heartbeatIntervalSeconds: 0.3, reconnectGraceMs: 300 });
  });
  after(() => engine.close());

  it('refuses a socket for a session it does not know', async () => {
    const socket = new WebSocket(`${engine.base.replace('http', 'ws')}/ws?session_id=nope`);
    const code = await new Promise<number>((resolve) => socket.once('close', (closeCode) => resolve(closeCode)));
    assert.equal(code, 4004);
  });

  it('ends a session whose client stops sending heartbeats, telling it why', async () => {
    const { sessionId, socket } = await openSession(engine);
    const messages: Array<{ actionType: string; payload: unknown }> = [];
    socket.on('message', (raw) => messages.push(JSON.parse(String(raw)) as { actionType: string; payload: unknown }));
    await waitUntil('the session to end', () => !alive(sessionId), 3000);
    assert.deepEqual(messages.find((message) => message.actionType === 'endsession')?.payload, 'heartbeat stopped');
  });

  it('keeps a session whose client sends heartbeats', async () => {
    const { sessionId, socket } = await openSession(engine);
    const beat = setInterval(() => socket.send(JSON.stringify({ actionType: 'heartbeat', sessionId, payload: '' })), 200);
    await new Promise((resolve) => setTimeout(resolve, 1500));
    clearInterval(beat);
    assert.equal(alive(sessionId), true);
    socket.close();
  });

  it('frees a session whose socket drops and does not come back', async () => {
    const { sessionId, socket } = await openSession(engine);
    socket.terminate();
    await waitUntil('the session to be freed', () => !alive(sessionId), 2000);
  });

  it('ends a session when the client says endsession', async () => {
    const { sessionId, socket } = await openSession(engine);
    socket.send(JSON.stringify({ actionType: 'endsession', sessionId, payload: '' }));
    await waitUntil('the session to end', () => !alive(sessionId), 2000);
  });

  it('warns about a signalling message it cannot read', async () => {
    const { sessionId, socket } = await openSession(engine);
    const warning = new Promise<{ actionType: string }>((resolve) =>
      socket.once('message', (raw) => resolve(JSON.parse(String(raw)) as { actionType: string })),
    );
    socket.send('not json');
    assert.equal((await warning).actionType, 'warning');
    socket.send(JSON.stringify({ actionType: 'endsession', sessionId, payload: '' }));
  });
});

describe('local engine, when the visitor ends the call', () => {
  let engine: TestApp & { base: string };

  before(async () => {
    // A reconnect grace far longer than the test's wait: only the hang-up itself can free the session in time.
    engine = await startEngineApp({}, { reconnectGraceMs: 60_000 });
  });
  after(() => engine.close());

  it('frees the session as soon as the client hangs up as the SDK does (socket and call closed), not after the reconnect grace', async () => {
    const call = await liveCall(engine);
    const alive = () => engine.app.localEngine!.inspect().sessions.some((session) => session.id === call.sessionId);
    call.socket.close();
    call.client.close();
    await waitUntil('the session to be freed', () => !alive(), 5000);
  });

  it('keeps the session through a signalling drop while the call is up, for the reconnect grace', async () => {
    const call = await liveCall(engine);
    call.socket.terminate();
    await new Promise((resolve) => setTimeout(resolve, 1000));
    assert.equal(
      engine.app.localEngine!.inspect().sessions.some((session) => session.id === call.sessionId),
      true,
    );
    call.client.close();
  });
});
