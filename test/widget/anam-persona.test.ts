import { expect, fixture, html } from '@open-wc/testing';
import { sendKeys } from '@web/test-runner-commands';
import type { AnamPersona } from '../../widget/anam-persona.ts';
import { LOCALES } from '../../widget/labels.ts';
import { fakeClientFactory, stubTokenEndpoint } from '../browser-helpers/fake-client.ts';
import { waitFor } from '../browser-helpers/test-server.ts';
import { button, expectEvent, shadow, typeKeys, untilState, widgetFixture } from '../browser-helpers/widget.ts';

describe('<anam-persona>', () => {
  let endpoint: ReturnType<typeof stubTokenEndpoint>;
  beforeEach(() => {
    endpoint = stubTokenEndpoint({
      body: { sessionToken: 'eyJhbGciOiJIUzI1NiJ9.eyJ0eXBlIjoic3RhdGVmdWwifQ.c2ln', apiBaseUrl: 'http://engine.test' },
    });
  });
  afterEach(() => endpoint.restore());

  describe('accessibility', () => {
    it('is accessible when idle, connecting, live and in error', async () => {
      const { element, clients } = await widgetFixture(undefined, (client) => (client.holdStream = true));
      await expect(element).to.be.accessible();
      void element.start();
      await untilState(element, 'connecting');
      await expect(element).to.be.accessible();
      clients[0]!.finishStream();
      await untilState(element, 'live');
      clients[0]!.say('1', 'Hello there.');
      await element.updateComplete;
      await expect(element).to.be.accessible();
      clients[0]!.emit('CONNECTION_CLOSED', 'CONNECTION_CLOSED_CODE_WEBRTC_FAILURE');
      await untilState(element, 'reconnecting');
      await expect(element).to.be.accessible();
      await waitFor('a new client', () => clients[1], 5000);
      clients[1]!.finishStream();
      await untilState(element, 'live');
      clients[1]!.emit('CONNECTION_CLOSED', 'CONNECTION_CLOSED_CODE_MICROPHONE_PERMISSION_DENIED');
      await untilState(element, 'error');
      await expect(element).to.be.accessible();
      button(element, 'Try again')!.click();
      await untilState(element, 'connecting');
      clients[2]!.finishStream();
      await untilState(element, 'live');
      await element.stop();
      await element.updateComplete;
      await expect(element).to.be.accessible();
    });

    it('fits a 280 px wide column without scrolling sideways', async () => {
      const { element } = await widgetFixture();
      element.style.width = '280px';
      await element.start();
      const panel = shadow(element).querySelector<HTMLElement>('.panel')!;
      expect(panel.scrollWidth).to.be.at.most(panel.clientWidth + 1);
      for (const control of shadow(element).querySelectorAll('button, input')) {
        expect(control.getBoundingClientRect().right, control.outerHTML.slice(0, 40)).to.be.at.most(
          element.getBoundingClientRect().right + 1,
        );
      }
    });

    it('runs Start → Send → Mute → Stop from the keyboard alone', async () => {
      const { element, clients } = await widgetFixture();
      button(element, 'Start conversation')!.focus();
      await sendKeys({ press: 'Enter' });
      await untilState(element, 'live');
      shadow(element).querySelector('input')!.focus();
      await typeKeys('Where are you?');
      await sendKeys({ press: 'Enter' });
      expect(clients[0]!.sent).to.deep.equal(['Where are you?']);
      button(element, 'Mute microphone')!.focus();
      // ' ' rather than 'Space': the one key name Chromium's CDP, Firefox's BiDi and WebDriver all know.
      await sendKeys({ press: ' ' });
      await element.updateComplete;
      expect(element.muted).to.be.true;
      await sendKeys({ press: 'Tab' });
      // With several microphones (Chromium's fake devices give two), their menu comes next to Mute.
      if (shadow(element).activeElement?.getAttribute('part') === 'mic-select') await sendKeys({ press: 'Tab' });
      expect(shadow(element).activeElement?.textContent).to.contain('End conversation');
      await sendKeys({ press: 'Enter' });
      await untilState(element, 'ended');
    });

    it('lets a visitor cancel a start that is still connecting, back to Start, from the keyboard', async () => {
      const { element, clients } = await widgetFixture(undefined, (client) => (client.holdStream = true));
      button(element, 'Start conversation')!.focus();
      await sendKeys({ press: 'Enter' });
      await untilState(element, 'connecting');
      // One Tab: the video, which Firefox would make a stop of its own, is not one.
      await sendKeys({ press: 'Tab' });
      expect(shadow(element).activeElement?.textContent?.trim()).to.equal('Cancel');
      const states = expectEvent<{ state: string }>(element, 'anam-persona-state');
      await sendKeys({ press: 'Enter' });
      await states.next((detail) => detail.state === 'idle');
      await element.updateComplete;
      expect(clients[0]!.calls).to.include('stopStreaming');
      expect(shadow(element).querySelector('[part~="cancel"]')).to.be.null;
      // Focus stays in the widget, on the Start button that came back.
      expect(shadow(element).activeElement?.textContent).to.contain('Start conversation');
      await sendKeys({ press: 'Enter' });
      await untilState(element, 'connecting');
      clients[1]!.finishStream();
      await untilState(element, 'live');
    });
  });

  describe('properties', () => {
    it('reads data-token-endpoint, or token-endpoint, and sends the persona preset', async () => {
      const { element } = await widgetFixture(html`<anam-persona token-endpoint="/custom/token" persona="sales"></anam-persona>`);
      await element.start();
      expect(endpoint.requests[0]!.url).to.equal('/custom/token');
      expect(JSON.parse(String(endpoint.requests[0]!.init?.body))).to.deep.equal({ persona: 'sales' });
      expect(endpoint.requests[0]!.init?.credentials).to.equal('same-origin');
    });

    it('reflects layout, position and state as attributes', async () => {
      const { element } = await widgetFixture(
        html`<anam-persona data-token-endpoint="/t" layout="floating" position="top-left"></anam-persona>`,
      );
      expect(element.getAttribute('layout')).to.equal('floating');
      expect(element.getAttribute('position')).to.equal('top-left');
      expect(element.getAttribute('state')).to.equal('idle');
      await element.start();
      await untilState(element, 'live');
      expect(element.getAttribute('state')).to.equal('live');
    });

    it('passes the API base from the token reply to the SDK, and mic="off" as text only', async () => {
      const { element, clients } = await widgetFixture(html`<anam-persona data-token-endpoint="/t" mic="off"></anam-persona>`);
      await element.start();
      expect(clients[0]!.options).to.include({ disableInputAudio: true });
      expect(clients[0]!.options?.api).to.deep.equal({ baseUrl: 'http://engine.test' });
      expect(button(element, 'Mute microphone')).to.be.undefined;
    });

    it('joins muted with start-muted', async () => {
      const { element, clients } = await widgetFixture(html`<anam-persona data-token-endpoint="/t" start-muted></anam-persona>`);
      await element.start();
      expect(clients[0]!.muted).to.be.true;
      expect(button(element, 'Unmute microphone')!.getAttribute('aria-pressed')).to.equal('true');
    });

    it('sends cookies cross-origin with token-credentials="include"', async () => {
      const { element } = await widgetFixture(
        html`<anam-persona data-token-endpoint="https://api.example/t" token-credentials="include"></anam-persona>`,
      );
      await element.start();
      expect(endpoint.requests[0]!.init?.credentials).to.equal('include');
    });

    it('replaces any label with the labels attribute, and speaks the page language', async () => {
      const element = await fixture<AnamPersona>(
        html`<anam-persona data-token-endpoint="/t" labels='{"start":"Chat with Ada"}'></anam-persona>`,
      );
      expect(button(element, 'Chat with Ada')).to.exist;
      const french = await fixture<AnamPersona>(html`<anam-persona data-token-endpoint="/t" lang="fr"></anam-persona>`);
      expect(button(french, 'Commencer la conversation')).to.exist;
    });

    it('ignores a labels attribute that is not JSON', async () => {
      const element = await fixture<AnamPersona>(html`<anam-persona data-token-endpoint="/t" labels="{oops"></anam-persona>`);
      expect(button(element, 'Start conversation')).to.exist;
    });

    it('fetches nothing until the visitor acts, unless autostart', async () => {
      await widgetFixture();
      expect(endpoint.requests).to.have.length(0);
      // The client seam must be in place before the element connects, as autostart starts then.
      const element = document.createElement('anam-persona');
      element.clientFactory = fakeClientFactory().factory;
      element.setAttribute('data-token-endpoint', '/t');
      element.setAttribute('autostart', '');
      document.body.append(element);
      await untilState(element, 'live');
      element.remove();
      expect(endpoint.requests).to.have.length(1);
    });
  });

  describe('events', () => {
    it('announces each state, then ready with the session id', async () => {
      const { element } = await widgetFixture();
      const states = expectEvent<{ state: string }>(element, 'anam-persona-state');
      const ready = expectEvent<{ sessionId: string }>(element, 'anam-persona-ready');
      await element.start();
      expect(states.details.map((detail) => detail.state)).to.deep.equal(['requesting-token', 'connecting', 'live']);
      expect((await ready.next()).sessionId).to.equal('fake-session-1');
      expect(element.sessionId).to.equal('fake-session-1');
    });

    it('bubbles out of the shadow root to the page', async () => {
      const { element } = await widgetFixture();
      const atDocument = expectEvent(document, 'anam-persona-state');
      await element.start();
      expect(atDocument.details.length).to.be.greaterThan(0);
    });

    it('reports each transcript change as a message', async () => {
      const { element, clients } = await widgetFixture();
      const messages = expectEvent<{ message: { role: string; text: string } }>(element, 'anam-persona-message');
      await element.start();
      clients[0]!.say('1', 'Hello', false);
      clients[0]!.say('1', ' there.');
      element.send('Hi!');
      expect(messages.details.map((detail) => detail.message.text)).to.deep.equal(['Hello', 'Hello there.', 'Hi!']);
      await element.updateComplete;
      const lines = [...shadow(element).querySelectorAll('.transcript li')].map((line) => line.textContent?.trim());
      expect(lines).to.deep.equal(['Assistant: Hello there.', 'You: Hi!']);
      expect(shadow(element).querySelector('.transcript')!.getAttribute('aria-live')).to.equal('polite');
    });
  });

  describe('controls', () => {
    it('opens one session however often Start is clicked', async () => {
      const { element, clients } = await widgetFixture();
      const start = button(element, 'Start conversation')!;
      start.click();
      start.click();
      void element.start();
      await untilState(element, 'live');
      expect(endpoint.requests).to.have.length(1);
      expect(clients).to.have.length(1);
    });

    it('mutes and unmutes the mic, with aria-pressed', async () => {
      const { element, clients } = await widgetFixture();
      await element.start();
      button(element, 'Mute microphone')!.click();
      await element.updateComplete;
      expect(clients[0]!.muted).to.be.true;
      expect(button(element, 'Unmute microphone')!.getAttribute('aria-pressed')).to.equal('true');
      element.unmute();
      await element.updateComplete;
      expect(button(element, 'Mute microphone')!.getAttribute('aria-pressed')).to.equal('false');
    });

    it('offers Interrupt only while the persona speaks', async () => {
      const { element, clients } = await widgetFixture();
      await element.start();
      expect(button(element, 'Interrupt')).to.be.undefined;
      clients[0]!.say('1', 'A long answer', false);
      await element.updateComplete;
      button(element, 'Interrupt')!.click();
      expect(clients[0]!.calls).to.include('interruptPersona');
    });

    it('talk() makes the persona speak; stop() ends and releases the client', async () => {
      const { element, clients } = await widgetFixture();
      await element.start();
      await element.talk('Welcome!');
      expect(clients[0]!.talked).to.deep.equal(['Welcome!']);
      await element.stop();
      expect(element.state).to.equal('ended');
      expect(clients[0]!.calls).to.include('stopStreaming');
      expect(shadow(element).querySelector('video')!.srcObject).to.be.null;
    });

    it('settles start() as soon as stop() ends a conversation still connecting', async () => {
      const { element } = await widgetFixture(undefined, (client) => (client.holdStream = true));
      let settled = false;
      const starting = element.start().then(() => (settled = true));
      await untilState(element, 'connecting');
      await element.stop();
      await new Promise((resolve) => setTimeout(resolve));
      expect(settled, 'not held until the connect timeout').to.be.true;
      await starting;
      expect(element.state).to.equal('ended');
    });

    it('attaches the streams to the video and audio inside its shadow root', async () => {
      const { element } = await widgetFixture();
      await element.start();
      expect(shadow(element).querySelector('video')!.srcObject).to.be.instanceOf(MediaStream);
      expect(shadow(element).querySelector('audio')!.srcObject).to.be.instanceOf(MediaStream);
    });

    it('places the video on the stage with the session: muted for autoplay, inline, named in the page language', async () => {
      const { element } = await widgetFixture(html`<anam-persona data-token-endpoint="/t" lang="de"></anam-persona>`);
      expect(shadow(element).querySelector('video'), 'nothing to play before a session').to.be.null;
      await element.start();
      await element.updateComplete;
      const video = shadow(element).querySelector('[part="stage"] > video[part="video"]') as HTMLVideoElement;
      expect(video).to.exist;
      expect(video.muted && video.autoplay && video.hasAttribute('playsinline')).to.be.true;
      expect(video.getAttribute('aria-label')).to.equal(LOCALES['de']!.video);
      element.lang = 'fr';
      await element.updateComplete;
      expect(video.getAttribute('aria-label')).to.equal(LOCALES['fr']!.video);
      await element.stop();
      await element.start();
      expect(shadow(element).querySelector('video'), 'the same video for the next session').to.equal(video);
    });

    it('creates a new client for every session', async () => {
      const { element, clients } = await widgetFixture();
      await element.start();
      await element.stop();
      await element.start();
      expect(clients).to.have.length(2);
      expect(clients[0]).not.to.equal(clients[1]);
    });

    it('opens and closes the floating panel from its launcher and with Escape', async () => {
      const { element } = await widgetFixture(html`<anam-persona data-token-endpoint="/t" layout="floating"></anam-persona>`);
      const panel = shadow(element).querySelector<HTMLElement>('.panel')!;
      expect(panel.hidden).to.be.true;
      shadow(element).querySelector<HTMLButtonElement>('.launcher')!.click();
      await element.updateComplete;
      expect(panel.hidden).to.be.false;
      expect(shadow(element).querySelector('.launcher')!.getAttribute('aria-expanded')).to.equal('true');
      panel.dispatchEvent(new KeyboardEvent('keydown', { key: 'Escape', bubbles: true, composed: true }));
      await element.updateComplete;
      expect(panel.hidden).to.be.true;
    });
  });

  describe('lifecycle', () => {
    it('aborts the token request when removed mid-connect, and creates no client', async () => {
      endpoint.restore();
      let signal: AbortSignal | undefined;
      const original = window.fetch;
      window.fetch = (_input, init) => {
        signal = init?.signal ?? undefined;
        return new Promise((_, reject) => signal?.addEventListener('abort', () => reject(signal!.reason)));
      };
      try {
        const { element, clients } = await widgetFixture();
        void element.start();
        await untilState(element, 'requesting-token');
        element.remove();
        expect(signal?.aborted).to.be.true;
        await new Promise((resolve) => setTimeout(resolve, 50));
        expect(clients).to.have.length(0);
      } finally {
        window.fetch = original;
      }
    });

    it('stops the session when removed mid-session', async () => {
      const { element, clients } = await widgetFixture();
      await element.start();
      element.remove();
      expect(clients[0]!.calls).to.include('stopStreaming');
    });

    it('stops the other widgets when an exclusive one starts', async () => {
      const first = await widgetFixture();
      const second = await widgetFixture(html`<anam-persona data-token-endpoint="/t" exclusive></anam-persona>`);
      await first.element.start();
      await second.element.start();
      await untilState(first.element, 'ended');
      expect(second.element.state).to.equal('live');
    });
  });
});
