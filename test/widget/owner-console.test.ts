import { expect, fixture, html } from '@open-wc/testing';
import type { AnamPersona } from '../../widget/anam-persona.ts';
import { FAKE_TOKEN, stubTokenEndpoint } from '../browser-helpers/fake-client.ts';
import { button, shadow, untilState, widgetFixture } from '../browser-helpers/widget.ts';

type Reply = Parameters<typeof stubTokenEndpoint>[0];

/** Records what the widget tells the site owner in the console. */
function consoleErrors() {
  const original = console.error;
  const lines: string[] = [];
  console.error = (...args: unknown[]) => void lines.push(args.map(String).join(' '));
  return { lines, restore: () => (console.error = original) };
}

const visibleError = (element: AnamPersona) => shadow(element).querySelector('[role="alert"]')?.textContent?.trim() ?? '';

/** Token endpoints that are not one: the owner reads the URL and the likely cause, the visitor a short message. */
const WRONG_ENDPOINTS: Array<{ name: string; reply: Reply; cause: RegExp; visitor: RegExp }> = [
  {
    name: '404',
    reply: { status: 404, body: 'Not Found' },
    cause: /answered 404.*\/api\/session-token/,
    visitor: /couldn't reach/,
  },
  {
    name: '405',
    reply: { status: 405, body: 'Method Not Allowed' },
    cause: /answered 405.*\/api\/session-token/,
    visitor: /couldn't reach/,
  },
  {
    name: '501',
    reply: { status: 501, body: 'Not Implemented' },
    cause: /answered 501.*\/api\/session-token/,
    visitor: /couldn't reach/,
  },
  {
    name: 'an HTML page',
    reply: { status: 200, body: '<!doctype html><p>Welcome</p>', headers: { 'content-type': 'text/html' } },
    cause: /other than JSON.*\/api\/session-token/,
    visitor: /unexpected answer/,
  },
  {
    name: 'a network or CORS failure',
    reply: 'network-error',
    cause: /could not reach.*CORS.*\/api\/session-token.*ALLOWED_ORIGINS/,
    visitor: /couldn't reach/,
  },
];

describe('<anam-persona> tells the site owner about configuration mistakes', () => {
  let endpoint: ReturnType<typeof stubTokenEndpoint> | undefined;
  let errors: ReturnType<typeof consoleErrors>;
  beforeEach(() => (errors = consoleErrors()));
  afterEach(() => {
    errors.restore();
    endpoint?.restore();
    endpoint = undefined;
  });

  it('reports a missing data-token-endpoint at load, shows it instead of Start, and offers no useless Try again', async () => {
    endpoint = stubTokenEndpoint({ body: { sessionToken: FAKE_TOKEN } });
    const element = await fixture<AnamPersona>(html`<anam-persona></anam-persona>`);
    await element.updateComplete;
    expect(element.state).to.equal('error');
    expect(visibleError(element)).to.match(/data-token-endpoint/);
    expect(button(element, 'Start conversation')).to.be.undefined;
    expect(button(element, 'Try again')).to.be.undefined;
    expect(errors.lines.some((line) => line.includes('data-token-endpoint') && line.includes('missing'))).to.be.true;
    expect(endpoint.requests).to.have.length(0);
  });

  it('starts normally once a late framework sets tokenEndpoint', async () => {
    endpoint = stubTokenEndpoint({ body: { sessionToken: FAKE_TOKEN } });
    const { element } = await widgetFixture(html`<anam-persona></anam-persona>`);
    await element.updateComplete;
    element.tokenEndpoint = '/api/session-token';
    await element.updateComplete;
    expect(element.state).to.equal('idle');
    button(element, 'Start conversation')!.click();
    await untilState(element, 'live');
  });

  for (const wrong of WRONG_ENDPOINTS) {
    it(`an endpoint answering ${wrong.name}: the owner reads the URL and the likely cause, the visitor a short message`, async () => {
      endpoint = stubTokenEndpoint(wrong.reply);
      const { element } = await widgetFixture(html`<anam-persona data-token-endpoint="/wrong/path"></anam-persona>`);
      await element.start();
      await untilState(element, 'error');
      const hint = errors.lines.find((line) => line.includes(`${location.origin}/wrong/path`));
      expect(hint, errors.lines.join('\n')).to.match(wrong.cause);
      expect(visibleError(element)).to.match(wrong.visitor);
      expect(visibleError(element)).not.to.contain('/wrong/path');
      if (typeof wrong.reply === 'object' && wrong.reply.status !== 200)
        expect(endpoint.requests, 'not retried').to.have.length(1);
    });
  }

  it("reads the server's readable origin refusal as NOT_ALLOWED and names ALLOWED_ORIGINS for the owner", async () => {
    endpoint = stubTokenEndpoint({
      status: 403,
      body: { error: 'This origin may not start sessions', code: 'ORIGIN_NOT_ALLOWED' },
      headers: { 'access-control-allow-origin': location.origin, vary: 'Origin' },
    });
    const { element } = await widgetFixture();
    await element.start();
    await untilState(element, 'error');
    expect(visibleError(element)).to.match(/not allowed to start a conversation/);
    expect(errors.lines.some((line) => line.includes(`add ${location.origin} to the server's ALLOWED_ORIGINS`))).to.be.true;
    expect(endpoint.requests).to.have.length(1);
  });
});
