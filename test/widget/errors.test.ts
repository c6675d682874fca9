import { expect, html } from '@open-wc/testing';
import { stubTokenEndpoint, FAKE_TOKEN } from '../browser-helpers/fake-client.ts';
import { button, expectEvent, shadow, untilState, widgetFixture } from '../browser-helpers/widget.ts';

type Reply = Parameters<typeof stubTokenEndpoint>[0];

/** Each way the token fetch can fail, the code the widget reports and the words the visitor reads. */
const TOKEN_FAILURES: Array<{ name: string; reply: Reply; code: string; text: RegExp }> = [
  { name: 'network failure', reply: 'network-error', code: 'TOKEN_ENDPOINT_UNREACHABLE', text: /couldn't reach the server/i },
  {
    name: 'missing endpoint (404)',
    reply: { status: 404, body: 'Not Found' },
    code: 'TOKEN_ENDPOINT_UNREACHABLE',
    text: /couldn't reach the server/i,
  },
  {
    name: 'origin not allowed',
    reply: { status: 403, body: { error: 'x', code: 'ORIGIN_NOT_ALLOWED' } },
    code: 'NOT_ALLOWED',
    text: /not allowed/i,
  },
  {
    name: 'sign-in required',
    reply: { status: 401, body: { error: 'x', code: 'UNAUTHORIZED' } },
    code: 'SIGN_IN_REQUIRED',
    text: /sign in/i,
  },
  {
    name: 'rate limited with Retry-After',
    reply: { status: 429, body: { error: 'x', code: 'RATE_LIMITED' }, headers: { 'retry-after': '42' } },
    code: 'RATE_LIMITED',
    text: /try again in 42 s/i,
  },
  {
    name: 'persona not found upstream',
    reply: { status: 502, body: { error: 'x', code: 'ANAM_PERSONA_NOT_FOUND' } },
    code: 'PERSONA_UNAVAILABLE',
    text: /not available/i,
  },
  {
    name: 'upstream auth failed',
    reply: { status: 502, body: { error: 'x', code: 'ANAM_AUTH_FAILED' } },
    code: 'PERSONA_UNAVAILABLE',
    text: /not available/i,
  },
  {
    name: 'upstream rate limited',
    reply: { status: 503, body: { error: 'x', code: 'ANAM_RATE_LIMITED' }, headers: { 'retry-after': '30' } },
    code: 'RATE_LIMITED',
    text: /30 s/,
  },
  {
    name: 'upstream down',
    reply: { status: 502, body: { error: 'x', code: 'ANAM_UNAVAILABLE' } },
    code: 'SERVICE_UNAVAILABLE',
    text: /unavailable/i,
  },
  {
    name: 'spending cap reached',
    reply: { status: 503, body: { error: 'x', code: 'TOKEN_BUDGET_EXHAUSTED' }, headers: { 'retry-after': '1200' } },
    code: 'SERVICE_BUSY',
    text: /all assistants are busy right now/i,
  },
  {
    name: 'upstream refused the request (another 4xx)',
    reply: { status: 502, body: { error: 'x', code: 'ANAM_REQUEST_REFUSED' } },
    code: 'PERSONA_UNAVAILABLE',
    text: /not available/i,
  },
  { name: 'not JSON', reply: { status: 200, body: '<html>oops</html>' }, code: 'BAD_TOKEN_RESPONSE', text: /unexpected answer/i },
  {
    name: 'no token in the reply',
    reply: { status: 200, body: { token: 'x' } },
    code: 'BAD_TOKEN_RESPONSE',
    text: /unexpected answer/i,
  },
];

/** The SDK's failures while starting, by ClientError code. */
const SDK_FAILURES: Array<{ code: string; expected: string; text: RegExp }> = [
  { code: 'CLIENT_ERROR_CODE_MAX_CONCURRENT_SESSIONS_REACHED', expected: 'SERVICE_BUSY', text: /busy/i },
  { code: 'CLIENT_ERROR_CODE_USAGE_LIMIT_REACHED', expected: 'SERVICE_BUSY', text: /busy/i },
  { code: 'CLIENT_ERROR_CODE_SERVICE_BUSY', expected: 'SERVICE_BUSY', text: /busy/i },
  { code: 'CLIENT_ERROR_CODE_AUTHENTICATION_ERROR', expected: 'CONNECTION_FAILED', text: /couldn't connect/i },
  { code: 'CLIENT_ERROR_CODE_SERVER_ERROR', expected: 'SERVICE_UNAVAILABLE', text: /unavailable/i },
  { code: 'CLIENT_ERROR_CODE_NO_PLAN_FOUND', expected: 'PERSONA_UNAVAILABLE', text: /not available/i },
];

function visibleError(element: HTMLElement): string {
  return element.shadowRoot!.querySelector('[role="alert"]')?.textContent ?? '';
}

describe('<anam-persona> errors', () => {
  let endpoint: ReturnType<typeof stubTokenEndpoint> | undefined;
  afterEach(() => endpoint?.restore());

  for (const failure of TOKEN_FAILURES) {
    it(`token endpoint: ${failure.name} → ${failure.code}, shown with Retry that recovers`, async () => {
      endpoint = stubTokenEndpoint(failure.reply, failure.reply, failure.reply, { body: { sessionToken: FAKE_TOKEN } });
      const { element } = await widgetFixture();
      const errors = expectEvent<{ code: string }>(element, 'anam-persona-error');
      await element.start();
      await untilState(element, 'error');
      expect(errors.details.map((detail) => detail.code)).to.deep.equal([failure.code]);
      expect(visibleError(element)).to.match(failure.text);
      // Retry is offered; the endpoint has recovered by now.
      endpoint.restore();
      endpoint = stubTokenEndpoint({ body: { sessionToken: FAKE_TOKEN } });
      button(element, 'Try again')!.click();
      await untilState(element, 'live');
    });
  }

  for (const failure of SDK_FAILURES) {
    it(`SDK: ${failure.code} → ${failure.expected}`, async () => {
      endpoint = stubTokenEndpoint({ body: { sessionToken: FAKE_TOKEN } });
      const { element } = await widgetFixture(undefined, (client) => {
        client.streamError = Object.assign(new Error('failed'), { code: failure.code });
      });
      const errors = expectEvent<{ code: string; detail: string }>(element, 'anam-persona-error');
      await element.start();
      await untilState(element, 'error');
      expect(errors.details[0]).to.include({ code: failure.expected, detail: failure.code });
      expect(visibleError(element)).to.match(failure.text);
    });
  }

  it('asks once when the server answers that it already retried the upstream (ANAM_UNAVAILABLE), but retries a bare 503', async () => {
    const unavailable = { status: 502, body: { error: 'x', code: 'ANAM_UNAVAILABLE' } };
    endpoint = stubTokenEndpoint(unavailable, { body: { sessionToken: FAKE_TOKEN } });
    const { element } = await widgetFixture();
    await element.start();
    await untilState(element, 'error');
    expect(endpoint.requests).to.have.length(1);
    endpoint.restore();
    endpoint = stubTokenEndpoint({ status: 503, body: 'busy' }, { body: { sessionToken: FAKE_TOKEN } });
    button(element, 'Try again')!.click();
    await untilState(element, 'live');
    expect(endpoint.requests).to.have.length(2);
  });

  it('says the connection was lost when the SDK closes mid-session and two reconnects fail, and Retry starts a new session', async () => {
    endpoint = stubTokenEndpoint({ body: { sessionToken: FAKE_TOKEN } });
    let made = 0;
    const { element, clients } = await widgetFixture(undefined, (client) => {
      if (++made > 1) client.streamError = new Error('network still down');
    });
    const states = expectEvent<{ state: string }>(element, 'anam-persona-state');
    await element.start();
    clients[0]!.emit('CONNECTION_CLOSED', 'CONNECTION_CLOSED_CODE_SIGNALLING_CLIENT_CONNECTION_FAILURE');
    await untilState(element, 'error');
    expect(visibleError(element)).to.match(/connection was lost/i);
    expect(clients).to.have.length(3, 'the first client and two reconnect attempts');
    expect(clients[0]!.calls).to.include('stopStreaming');
    expect(states.details.map((detail) => detail.state).slice(-2)).to.deep.equal(['reconnecting', 'error']);
    made = -10;
    button(element, 'Try again')!.click();
    await untilState(element, 'live');
    expect(clients).to.have.length(4);
  });

  it('ends quietly, saying so, when the service ends the session', async () => {
    endpoint = stubTokenEndpoint({ body: { sessionToken: FAKE_TOKEN } });
    const { element, clients } = await widgetFixture();
    const errors = expectEvent(element, 'anam-persona-error');
    await element.start();
    clients[0]!.emit('CONNECTION_CLOSED', 'CONNECTION_CLOSED_CODE_SERVER_CLOSED_CONNECTION', 'session length limit reached');
    await untilState(element, 'ended');
    expect(shadow(element).textContent).to.match(/ended by the service/i);
    expect(errors.details).to.have.length(0);
    expect(button(element, 'Start again')).to.exist;
  });

  it('falls back to text when the microphone is blocked, instead of ending', async () => {
    endpoint = stubTokenEndpoint({ body: { sessionToken: FAKE_TOKEN } });
    const { element, clients } = await widgetFixture();
    await element.start();
    clients[0]!.emit('MIC_PERMISSION_DENIED', 'Permission denied');
    await element.updateComplete;
    expect(element.state).to.equal('live');
    expect(shadow(element).textContent).to.match(/Microphone blocked: you can still type/);
    expect(button(element, 'Mute microphone')).to.be.undefined;
    expect(shadow(element).querySelector('.composer input')).to.exist;
  });

  it('offers "tap to enable sound" when the browser blocks audio, and plays on the tap', async () => {
    endpoint = stubTokenEndpoint({ body: { sessionToken: FAKE_TOKEN } });
    const originalPlay = HTMLMediaElement.prototype.play;
    let blocked = true;
    HTMLMediaElement.prototype.play = function (this: HTMLMediaElement) {
      if (this instanceof HTMLAudioElement && blocked) return Promise.reject(new DOMException('autoplay', 'NotAllowedError'));
      return Promise.resolve();
    };
    try {
      const { element } = await widgetFixture();
      await element.start();
      await element.updateComplete;
      const enable = button(element, 'Tap to enable sound');
      expect(enable, 'the enable-sound control').to.exist;
      blocked = false;
      enable!.click();
      await new Promise((resolve) => setTimeout(resolve, 0));
      await element.updateComplete;
      expect(button(element, 'Tap to enable sound')).to.be.undefined;
      expect(element.state).to.equal('live');
    } finally {
      HTMLMediaElement.prototype.play = originalPlay;
    }
  });

  it('tells the site owner when data-token-endpoint is missing', async () => {
    const { element } = await widgetFixture(html`<anam-persona></anam-persona>`);
    await element.start();
    expect(element.state).to.equal('error');
    expect(visibleError(element)).to.match(/missing its data-token-endpoint/);
  });

  it('times out a connection that never comes up', async () => {
    endpoint = stubTokenEndpoint({ body: { sessionToken: FAKE_TOKEN } });
    const { element } = await widgetFixture(undefined, (client) => (client.holdStream = true));
    element.connectTimeoutMs = 200;
    await element.start();
    expect(element.state).to.equal('error');
    expect(visibleError(element)).to.match(/couldn't connect/i);
  });
});
