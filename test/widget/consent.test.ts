import { expect, fixture, html } from '@open-wc/testing';
import { sendKeys } from '@web/test-runner-commands';
import { LitElement } from 'lit';
import { ConsentController, consentStorageKey } from '../../widget/consent-controller.ts';
import { stubTokenEndpoint } from '../browser-helpers/fake-client.ts';
import { waitFor } from '../browser-helpers/test-server.ts';
import { button, expectEvent, shadow, untilState, widgetFixture } from '../browser-helpers/widget.ts';

/** The smallest host a controller needs. */
class ConsentHost extends LitElement {
  required = true;
  key = 'default';
  decisions: boolean[] = [];
  storage: Storage | undefined = window.localStorage;
  readonly gate = new ConsentController(this, {
    required: () => this.required,
    key: () => this.key,
    onDecision: (accepted) => this.decisions.push(accepted),
    storage: () => this.storage,
  });
}
customElements.define('consent-test-host', ConsentHost);

/** A Storage whose every call throws, as Safari's private mode and blocked third-party frames do. */
const blockedStorage = new Proxy({} as Storage, {
  get() {
    throw new DOMException('The operation is insecure.', 'SecurityError');
  },
});

describe('ConsentController', () => {
  beforeEach(() => localStorage.clear());

  it('grants at once when no consent is required', async () => {
    const host = await fixture<ConsentHost>(html`<consent-test-host></consent-test-host>`);
    host.required = false;
    expect(host.gate.granted()).to.be.true;
  });

  it('remembers an acceptance per key in localStorage, and a new key asks again', async () => {
    const host = await fixture<ConsentHost>(html`<consent-test-host></consent-test-host>`);
    expect(host.gate.granted()).to.be.false;
    host.gate.ask();
    expect(host.gate.asking).to.be.true;
    host.gate.accept();
    expect(host.decisions).to.deep.equal([true]);
    expect(host.gate.asking).to.be.false;
    expect(localStorage.getItem(consentStorageKey('default'))).to.be.a('string');
    expect(host.gate.granted()).to.be.true;
    host.key = 'terms-2026';
    expect(host.gate.granted()).to.be.false;
    expect(document.cookie).to.equal('');
  });

  it('does not remember a decline', async () => {
    const host = await fixture<ConsentHost>(html`<consent-test-host></consent-test-host>`);
    host.gate.ask();
    host.gate.decline();
    expect(host.decisions).to.deep.equal([false]);
    expect(host.gate.granted()).to.be.false;
    expect(localStorage.length).to.equal(0);
  });

  it('asks each time when storage is blocked, without throwing', async () => {
    const host = await fixture<ConsentHost>(html`<consent-test-host></consent-test-host>`);
    host.storage = blockedStorage;
    host.gate.accept();
    expect(host.decisions).to.deep.equal([true]);
    expect(host.gate.granted()).to.be.false;
    host.storage = undefined;
    expect(host.gate.granted()).to.be.false;
  });
});

describe('<anam-persona consent>', () => {
  let endpoint: ReturnType<typeof stubTokenEndpoint>;
  let getUserMediaCalls = 0;
  const originalGetUserMedia = navigator.mediaDevices.getUserMedia.bind(navigator.mediaDevices);
  beforeEach(() => {
    localStorage.clear();
    endpoint = stubTokenEndpoint({ body: { sessionToken: 'eyJhbGciOiJIUzI1NiJ9.eyJ0eXBlIjoic3RhdGVmdWwifQ.c2ln' } });
    getUserMediaCalls = 0;
    navigator.mediaDevices.getUserMedia = (constraints) => {
      getUserMediaCalls++;
      return originalGetUserMedia(constraints);
    };
  });
  afterEach(() => {
    endpoint.restore();
    navigator.mediaDevices.getUserMedia = originalGetUserMedia;
  });

  const gated = () =>
    widgetFixture(
      html`<anam-persona
        data-token-endpoint="/t"
        consent
        consent-url="https://shop.example/privacy"
        consent-key="terms-1"
      ></anam-persona>`,
    );

  it('shows the consent panel on Start, accessible, and fetches nothing and asks for no microphone', async () => {
    const { element, clients } = await gated();
    button(element, 'Start conversation')!.click();
    const panel = await waitFor('the consent panel', () => shadow(element).querySelector('[part~="consent"]'));
    await element.updateComplete;
    expect(panel.textContent).to.contain('Before we start');
    expect(shadow(element).activeElement).to.equal(panel);
    const link = shadow(element).querySelector<HTMLAnchorElement>('[part="consent-link"]')!;
    expect(link.href).to.equal('https://shop.example/privacy');
    expect(link.target).to.equal('_blank');
    expect(link.rel).to.contain('noopener');
    expect(link.textContent).to.contain('opens in a new tab');
    await expect(element).to.be.accessible();
    await element.start();
    expect(endpoint.requests).to.have.length(0);
    expect(clients).to.have.length(0);
    expect(getUserMediaCalls).to.equal(0);
    expect(element.state).to.equal('idle');
  });

  it('starts on Accept, announces it, and does not ask again for the same key', async () => {
    const { element } = await gated();
    const decisions = expectEvent<{ accepted: boolean }>(element, 'anam-persona-consent');
    await element.start();
    button(element, 'Accept and start')!.click();
    await untilState(element, 'live');
    expect(decisions.details).to.deep.equal([{ accepted: true }]);
    expect(endpoint.requests).to.have.length(1);
    expect(localStorage.getItem(consentStorageKey('terms-1'))).to.be.a('string');
    await element.stop();
    await untilState(element, 'ended');
    button(element, 'Start again')!.click();
    await untilState(element, 'live');
    expect(decisions.details).to.have.length(1);
    expect(document.cookie).to.equal('');
  });

  it('returns to idle on Decline, from the keyboard, with focus back on Start', async () => {
    const { element } = await gated();
    const decisions = expectEvent<{ accepted: boolean }>(element, 'anam-persona-consent');
    button(element, 'Start conversation')!.focus();
    await sendKeys({ press: 'Enter' });
    await waitFor('the consent panel', () => shadow(element).querySelector('[part~="consent"]'));
    await element.updateComplete;
    await sendKeys({ press: 'Tab' }); // the policy link
    await sendKeys({ press: 'Tab' }); // Accept
    await sendKeys({ press: 'Tab' }); // Decline
    expect(shadow(element).activeElement?.textContent).to.contain('Not now');
    await sendKeys({ press: 'Enter' });
    await element.updateComplete;
    await element.updateComplete;
    expect(decisions.details).to.deep.equal([{ accepted: false }]);
    expect(element.state).to.equal('idle');
    expect(shadow(element).querySelector('[part~="consent"]')).to.be.null;
    expect(shadow(element).activeElement?.textContent).to.contain('Start conversation');
    expect(endpoint.requests).to.have.length(0);
  });

  it('asks again when consent-key changes, and leaves out a policy link that is not http(s)', async () => {
    localStorage.setItem(consentStorageKey('terms-1'), 'yes');
    const { element } = await gated();
    await element.start();
    await untilState(element, 'live');
    await element.stop();
    element.consentKey = 'terms-2';
    element.consentUrl = 'javascript:alert(1)';
    await element.start();
    expect(shadow(element).querySelector('[part~="consent"]')).to.exist;
    expect(shadow(element).querySelector('[part="consent-link"]')).to.be.null;
  });

  it('asks each time when localStorage is blocked', async () => {
    const descriptor = Object.getOwnPropertyDescriptor(window, 'localStorage')!;
    Object.defineProperty(window, 'localStorage', {
      configurable: true,
      get: () => {
        throw new DOMException('blocked', 'SecurityError');
      },
    });
    try {
      const { element } = await gated();
      await element.start();
      button(element, 'Accept and start')!.click();
      await untilState(element, 'live');
      await element.stop();
      await element.start();
      expect(shadow(element).querySelector('[part~="consent"]')).to.exist;
      expect(endpoint.requests).to.have.length(1);
    } finally {
      Object.defineProperty(window, 'localStorage', descriptor);
    }
  });

  it('is translated', async () => {
    const { element } = await widgetFixture(html`<anam-persona data-token-endpoint="/t" consent lang="de"></anam-persona>`);
    await element.start();
    expect(shadow(element).querySelector('[part~="consent"]')!.textContent).to.contain('Bevor wir beginnen');
    expect(button(element, 'Zustimmen und starten')).to.exist;
  });
});
