import assert from 'node:assert/strict';
import { after, before, beforeEach, describe, it } from 'node:test';
import { LOCAL_ENGINE_API_KEY } from '../../server/config.ts';
import { LOCAL_AVATAR_ID, LOCAL_PERSONA_ID, LOCAL_VOICE_ID } from '../../server/local-engine/catalog.ts';
import { SessionTokens } from '../../server/local-engine/tokens.ts';
import { decodeJwtPayload, postJson, setFaults, startEngineApp, type TestApp } from './helpers.ts';

const SIGNING_SECRET = 'test-signing-secret';
const RESTRICTED_KEY = 'restricted-key';
const auth = (key: string) => ({ authorization: `Bearer ${key}` });

describe('local engine REST API', () => {
  let engine: TestApp & { base: string };

  before(async () => {
    engine = await startEngineApp(
      { LOCAL_ENGINE_MAX_SESSIONS: '2' },
      { signingSecret: SIGNING_SECRET, restrictedApiKeys: [RESTRICTED_KEY], tokensPerMinute: 1000 },
    );
  });
  after(() => engine.close());
  beforeEach(() => setFaults(engine.base, {}));

  const mint = async (personaConfig: unknown = { personaId: LOCAL_PERSONA_ID }, key = LOCAL_ENGINE_API_KEY) =>
    postJson(`${engine.base}/v1/auth/session-token`, { personaConfig }, auth(key));
  const startSession = (token: string) =>
    postJson(`${engine.base}/v1/engine/session`, { clientMetadata: { client: 'test' } }, auth(token));

  describe('POST /v1/auth/session-token', () => {
    it('mints a signed, JWT-shaped token for a stateful persona, valid for one hour', async () => {
      const { status, json } = await mint();
      assert.equal(status, 200);
      const token = json?.['sessionToken'] as string;
      assert.equal(token.split('.').length, 3);
      const payload = decodeJwtPayload(token);
      assert.equal(payload['type'], 'stateful');
      assert.equal(payload['accountId'], 'local-account');
      assert.equal((payload['exp'] as number) - (payload['iat'] as number), 3600);
    });

    it('mints an ephemeral token for a valid ephemeral config', async () => {
      const { status, json } = await mint({
        name: 'Guide',
        avatarId: LOCAL_AVATAR_ID,
        voiceId: LOCAL_VOICE_ID,
        systemPrompt: 'Be brief.',
      });
      assert.equal(status, 200);
      assert.equal(decodeJwtPayload(json?.['sessionToken'] as string)['type'], 'ephemeral');
    });

    it('answers 401 without a key or with a wrong one, 403 for a key without permission', async () => {
      assert.equal(
        (await postJson(`${engine.base}/v1/auth/session-token`, { personaConfig: { personaId: LOCAL_PERSONA_ID } })).status,
        401,
      );
      assert.equal((await mint(undefined, 'wrong-key')).status, 401);
      assert.equal((await mint(undefined, RESTRICTED_KEY)).status, 403);
    });

    it('answers 400 for an invalid config, naming the field', async () => {
      const badUuid = await mint({ name: 'Guide', avatarId: 'nope', voiceId: LOCAL_VOICE_ID });
      assert.equal(badUuid.status, 400);
      assert.match(String(badUuid.json?.['message']), /avatarId/);
      const longPrompt = await mint({
        name: 'Guide',
        avatarId: LOCAL_AVATAR_ID,
        voiceId: LOCAL_VOICE_ID,
        systemPrompt: 'x'.repeat(2001),
      });
      assert.equal(longPrompt.status, 400);
      assert.match(String(longPrompt.json?.['message']), /systemPrompt/);
      assert.equal((await postJson(`${engine.base}/v1/auth/session-token`, {}, auth(LOCAL_ENGINE_API_KEY))).status, 400);
    });

    it("accepts the fields of Anam's documented examples: brainType, avatarModel, skipGreeting, no name", async () => {
      const documented = await mint({
        avatarId: LOCAL_AVATAR_ID,
        avatarModel: 'cara-3',
        voiceId: LOCAL_VOICE_ID,
        brainType: 'ANAM_GPT_4O_MINI_V1',
        systemPrompt: 'You are a helpful customer service representative.',
        maxSessionLengthSeconds: 600,
        skipGreeting: false,
      });
      assert.equal(documented.status, 200, documented.text);
      const both = await mint({
        avatarId: LOCAL_AVATAR_ID,
        voiceId: LOCAL_VOICE_ID,
        llmId: 'ANAM_GPT_4O_MINI_V1',
        brainType: 'X_Y',
      });
      assert.equal(both.status, 400);
      assert.match(String(both.json?.['message']), /llmId or brainType/);
    });

    it('answers 404 for a persona it does not know', async () => {
      assert.equal((await mint({ personaId: '00000000-0000-4000-8000-000000000000' })).status, 404);
    });

    it('answers 429 with Retry-After when the key mints too fast', async () => {
      const limited = await startEngineApp({}, { tokensPerMinute: 2 });
      try {
        const url = `${limited.base}/v1/auth/session-token`;
        const body = { personaConfig: { personaId: LOCAL_PERSONA_ID } };
        assert.equal((await postJson(url, body, auth(LOCAL_ENGINE_API_KEY))).status, 200);
        assert.equal((await postJson(url, body, auth(LOCAL_ENGINE_API_KEY))).status, 200);
        const third = await postJson(url, body, auth(LOCAL_ENGINE_API_KEY));
        assert.equal(third.status, 429);
        assert.ok(Number(third.headers.get('retry-after')) > 0);
      } finally {
        await limited.close();
      }
    });

    it('acts out an injected status or delay', async () => {
      await setFaults(engine.base, { authStatus: 503 });
      assert.equal((await mint()).status, 503);
      await setFaults(engine.base, { authDelayMs: 300 });
      const started = Date.now();
      assert.equal((await mint()).status, 200);
      assert.ok(Date.now() - started >= 290);
    });
  });

  describe('POST /v1/engine/session', () => {
    it('starts a session and says where to signal, derived from the request host and prefix', async () => {
      const token = (await mint()).json?.['sessionToken'] as string;
      const { status, json } = await startSession(token);
      assert.equal(status, 200);
      const port = new URL(engine.url).port;
      assert.equal(json?.['engineHost'], `127.0.0.1:${port}/local-engine`);
      assert.equal(json?.['engineProtocol'], 'http');
      assert.equal(json?.['signallingEndpoint'], '/local-engine/ws');
      assert.match(String(json?.['sessionId']), /^[0-9a-f-]{36}$/);
      assert.deepEqual((json?.['clientConfig'] as { iceServers: unknown[] }).iceServers, []);
      assert.equal(
        engine.app.localEngine?.inspect().sessions.some((session) => session.id === json?.['sessionId']),
        true,
      );
      engine.app.localEngine?.close();
    });

    it('starts one session per token: a second use is 401', async () => {
      const token = (await mint()).json?.['sessionToken'] as string;
      assert.equal((await startSession(token)).status, 200);
      const again = await startSession(token);
      assert.equal(again.status, 401);
      assert.match(String(again.json?.['message']), /already used/);
      engine.app.localEngine?.close();
    });

    it('refuses a forged, a malformed and an expired token with 401', async () => {
      const forged = new SessionTokens('another-secret').mint('x', { personaId: LOCAL_PERSONA_ID });
      assert.equal((await startSession(forged)).status, 401);
      assert.equal((await startSession('not.a-token')).status, 401);
      const anHourAgo = Date.now() - 3601_000;
      const expired = new SessionTokens(SIGNING_SECRET, 3600, () => anHourAgo).mint('x', { personaId: LOCAL_PERSONA_ID });
      const reply = await startSession(expired);
      assert.equal(reply.status, 401);
      assert.match(String(reply.json?.['message']), /expired/);
      assert.equal((await postJson(`${engine.base}/v1/engine/session`, {})).status, 401);
    });

    it("answers 429 'Concurrent session limit reached' past the concurrency limit, and frees a slot when one ends", async () => {
      const tokens = await Promise.all([1, 2, 3].map(async () => (await mint()).json?.['sessionToken'] as string));
      const first = await startSession(tokens[0]!);
      assert.equal((await startSession(tokens[1]!)).status, 200);
      const third = await startSession(tokens[2]!);
      assert.equal(third.status, 429);
      assert.equal(third.json?.['error'], 'Concurrent session limit reached');
      engine.app.localEngine?.session(String(first.json?.['sessionId']))?.end('test', false);
      assert.equal((await startSession(tokens[2]!)).status, 200, 'the refused token is still good once a slot frees');
      engine.app.localEngine?.close();
    });

    it('acts out an injected status', async () => {
      const token = (await mint()).json?.['sessionToken'] as string;
      await setFaults(engine.base, { sessionStatus: 500 });
      assert.equal((await startSession(token)).status, 500);
    });

    it('refuses unknown fault switches', async () => {
      const response = await fetch(`${engine.base}/__test/faults`, {
        method: 'PUT',
        headers: { 'content-type': 'application/json' },
        body: '{"explode":1}',
      });
      assert.equal(response.status, 400);
    });
  });

  it('keeps the test controls off unless asked for', async () => {
    const plain = await startEngineApp({ LOCAL_ENGINE_TEST_CONTROLS: 'off' });
    try {
      assert.equal((await fetch(`${plain.base}/__test/sessions`)).status, 404);
    } finally {
      await plain.close();
    }
  });
});
