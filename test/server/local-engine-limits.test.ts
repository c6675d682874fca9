import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { LOCAL_ENGINE_API_KEY } from '../../server/config.ts';
import { LOCAL_PERSONA_ID } from '../../server/local-engine/catalog.ts';
import { SIGNALLING_MAX_PAYLOAD_BYTES } from '../../server/local-engine/plugin.ts';
import { openSession } from './engine-client.ts';
import { postJson, startApp, startEngineApp, waitUntil, type TestApp } from './helpers.ts';

describe('local engine limits', () => {
  describe('mounted in production (a public demo)', () => {
    it('takes no key written in the source, only the one the server made for itself at start', async () => {
      const server = await startApp({ NODE_ENV: 'production', LOCAL_ENGINE: 'on', LOG_LEVEL: 'trace' });
      const other = await startApp({ NODE_ENV: 'production', LOCAL_ENGINE: 'on' });
      try {
        const mint = await postJson(
          `${server.url}/local-engine/v1/auth/session-token`,
          { personaConfig: { personaId: LOCAL_PERSONA_ID } },
          { authorization: `Bearer ${LOCAL_ENGINE_API_KEY}` },
        );
        assert.equal(mint.status, 401, 'the development key mints nothing in production');
        const visitor = await postJson(`${server.url}/api/session-token`, {});
        assert.equal(visitor.status, 200, 'the server still mints through its own engine');
        const ownKey = server.app.localEngine!.options.apiKeys[0]!;
        assert.notEqual(ownKey, LOCAL_ENGINE_API_KEY);
        assert.ok(ownKey.length >= 32);
        assert.notEqual(other.app.localEngine!.options.apiKeys[0], ownKey, 'a new key per process');
        assert.doesNotMatch(server.logs.text, new RegExp(ownKey));
        assert.doesNotMatch(visitor.text, new RegExp(ownKey));
      } finally {
        await server.close();
        await other.close();
      }
    });
  });

  describe('sessions', () => {
    let engine: TestApp & { base: string };
    const alive = (id: string) => engine.app.localEngine!.inspect().sessions.some((session) => session.id === id);
    before(async () => {
      engine = await startEngineApp(
        { LOCAL_ENGINE_SESSIONS_PER_ADDRESS: '2' },
        { heartbeatIntervalSeconds: 0.2, idleSeconds: 0.8, reconnectGraceMs: 100 },
      );
    });
    after(() => engine.close());

    it('closes a signalling socket that sends an oversized message, and frees its session', async () => {
      const { sessionId, socket } = await openSession(engine);
      const closed = new Promise<number>((resolve) => socket.once('close', (code) => resolve(code)));
      socket.send(JSON.stringify({ actionType: 'offer', payload: 'x'.repeat(SIGNALLING_MAX_PAYLOAD_BYTES * 16) }));
      assert.equal(await closed, 1009, 'message too big');
      await waitUntil('the session to be freed', () => !alive(sessionId), 3000);
    });

    it('ends a session kept alive by heartbeats alone, telling the client it was idle', async () => {
      const { sessionId, socket } = await openSession(engine);
      const messages: Array<{ actionType: string; payload: unknown }> = [];
      socket.on('message', (raw) => messages.push(JSON.parse(String(raw)) as { actionType: string; payload: unknown }));
      const beat = setInterval(() => socket.send(JSON.stringify({ actionType: 'heartbeat', sessionId, payload: '' })), 100);
      try {
        await waitUntil('the idle session to end', () => !alive(sessionId), 5000);
      } finally {
        clearInterval(beat);
      }
      assert.deepEqual(messages.find((message) => message.actionType === 'endsession')?.payload, 'idle');
    });

    it('lets one address hold only LOCAL_ENGINE_SESSIONS_PER_ADDRESS sessions at once', async () => {
      const first = await openSession(engine);
      const second = await openSession(engine);
      await assert.rejects(openSession(engine), 'a third session from the same address is refused');
      const token = (
        await postJson(
          `${engine.base}/v1/auth/session-token`,
          { personaConfig: { personaId: LOCAL_PERSONA_ID } },
          { authorization: `Bearer ${LOCAL_ENGINE_API_KEY}` },
        )
      ).json?.['sessionToken'] as string;
      const refused = await postJson(`${engine.base}/v1/engine/session`, {}, { authorization: `Bearer ${token}` });
      assert.equal(refused.status, 429);
      first.socket.send(JSON.stringify({ actionType: 'endsession', sessionId: first.sessionId, payload: '' }));
      await waitUntil('the first session to end', () => !alive(first.sessionId), 2000);
      const again = await postJson(`${engine.base}/v1/engine/session`, {}, { authorization: `Bearer ${token}` });
      assert.equal(again.status, 200, 'the same token works once a slot is free: the refusal did not spend it');
      second.socket.close();
    });

    it('limits a session to LOCAL_ENGINE_MAX_SESSION_SECONDS, or the persona’s own shorter limit', () => {
      const local = engine.app.localEngine!;
      const claims = (personaConfig: Record<string, unknown>) => ({
        jti: crypto.randomUUID(),
        accountId: 'a',
        type: 'ephemeral' as const,
        personaConfig,
        iat: 0,
        exp: 0,
      });
      const limitOf = (config: Record<string, unknown>) => {
        const session = local.startSession(claims(config), '192.0.2.1');
        const limit = session.lengthLimitSeconds;
        session.end('test over', false);
        return limit;
      };
      assert.equal(limitOf({ personaId: LOCAL_PERSONA_ID }), 600);
      assert.equal(limitOf({ personaId: LOCAL_PERSONA_ID, maxSessionLengthSeconds: 60 }), 60);
      assert.equal(limitOf({ personaId: LOCAL_PERSONA_ID, maxSessionLengthSeconds: 86_400 }), 600);
    });
  });
});
