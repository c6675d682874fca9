import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import WebSocket from 'ws';
import { openSession } from './engine-client.ts';
import { startEngineApp, type TestApp } from './helpers.ts';

async function waitUntil(what: string, check: () => boolean, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!check()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

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
