import { expect, html } from '@open-wc/testing';
import type { AnamPersona } from '../../widget/anam-persona.ts';
import { CONTEXT_MAX_LENGTH } from '../../widget/context-controller.ts';
import { FAKE_TOKEN, stubTokenEndpoint } from '../browser-helpers/fake-client.ts';
import { waitFor } from '../browser-helpers/test-server.ts';
import { expectEvent, shadow, untilState, widgetFixture } from '../browser-helpers/widget.ts';

function activityChip(element: AnamPersona): string | undefined {
  return shadow(element).querySelector('[part="activity"]')?.textContent ?? undefined;
}

describe('<anam-persona> conversations that act on the page', () => {
  let endpoint: ReturnType<typeof stubTokenEndpoint>;
  beforeEach(() => (endpoint = stubTokenEndpoint({ body: { sessionToken: FAKE_TOKEN } })));
  afterEach(() => endpoint.restore());

  describe('client tools', () => {
    it('runs a tool registered before the session with the call arguments, and sends back its result as JSON', async () => {
      const { element, clients } = await widgetFixture();
      const seen: unknown[] = [];
      element.registerTool('show_bike', (args, call) => {
        seen.push(args, call.name, call.toolType);
        return { shown: args['model'] };
      });
      const calls = expectEvent(element, 'anam-persona-tool-call');
      const results = expectEvent(element, 'anam-persona-tool-result');
      await element.start();
      const sent = await clients[0]!.callTool('show_bike', { model: 'cargo-duo' });
      expect(seen).to.deep.equal([{ model: 'cargo-duo' }, 'show_bike', 'client']);
      expect(sent).to.deep.equal({ id: 'call-1', result: '{"shown":"cargo-duo"}' });
      expect(calls.details).to.deep.equal([
        { id: 'call-1', name: 'show_bike', arguments: { model: 'cargo-duo' }, toolType: 'client' },
      ]);
      expect(results.details).to.deep.equal([{ id: 'call-1', name: 'show_bike', result: '{"shown":"cargo-duo"}' }]);
    });

    it('takes a tool registered during the session, awaits a promise, passes strings as they are, and unregisters', async () => {
      const { element, clients } = await widgetFixture();
      await element.start();
      const unregister = element.registerTool('show_bike', async (args) => `Showing ${String(args['model'])}.`);
      expect(await clients[0]!.callTool('show_bike', { model: 'Trail 9' })).to.deep.equal({
        id: 'call-1',
        result: 'Showing Trail 9.',
      });
      unregister();
      expect(await clients[0]!.callTool('show_bike', { model: 'Trail 9' })).to.equal(undefined);
    });

    it('reports a thrown error as the failure, to the persona and to the page', async () => {
      const { element, clients } = await widgetFixture();
      element.registerTool('show_bike', () => {
        throw new Error('no such bike');
      });
      const results = expectEvent(element, 'anam-persona-tool-result');
      await element.start();
      expect(await clients[0]!.callTool('show_bike', { model: 'x' })).to.deep.equal({
        id: 'call-1',
        error: 'Error in handler: no such bike',
      });
      expect(results.details).to.deep.equal([{ id: 'call-1', name: 'show_bike', error: 'no such bike' }]);
    });

    it('announces tools it does not run (server tools) and their outcome once', async () => {
      const { element, clients } = await widgetFixture();
      const calls = expectEvent(element, 'anam-persona-tool-call');
      const results = expectEvent(element, 'anam-persona-tool-result');
      await element.start();
      await clients[0]!.callTool('lookup_order', { order: '12' }, 'server');
      const completed = { toolCallId: 'call-1', toolName: 'lookup_order', toolType: 'server', result: { status: 'shipped' } };
      clients[0]!.emit('TOOL_CALL_COMPLETED', completed);
      clients[0]!.emit('TOOL_CALL_COMPLETED', completed);
      expect(calls.details[0]).to.include({ name: 'lookup_order', toolType: 'server' });
      expect(results.details).to.deep.equal([{ id: 'call-1', name: 'lookup_order', result: '{"status":"shipped"}' }]);
    });

    it('refuses a tool name the persona config could not declare, and a handler that is not a function', async () => {
      const { element } = await widgetFixture();
      expect(() => element.registerTool('Show Bike', () => 'x')).to.throw(/snake_case/);
      expect(() => element.registerTool('show_bike', 'x' as never)).to.throw(/must be a function/);
    });
  });

  describe('page context', () => {
    it('sends the context attribute once the session can take it, and again when it changes', async () => {
      const { element, clients } = await widgetFixture(
        html`<anam-persona data-token-endpoint="/t" context="Visitor is on the Cargo Duo page"></anam-persona>`,
      );
      await element.start();
      await waitFor('the context', () => clients[0]!.contexts.length === 1, 3000);
      expect(clients[0]!.contexts).to.deep.equal(['Visitor is on the Cargo Duo page']);
      element.context = 'Visitor is reading: Pricing';
      await element.updateComplete;
      element.addContext('Logged in as a gold member');
      expect(clients[0]!.contexts).to.deep.equal([
        'Visitor is on the Cargo Duo page',
        'Visitor is reading: Pricing',
        'Logged in as a gold member',
      ]);
    });

    it('bounds the context: the attribute is cut at 4 KB with a console line, addContext refuses more, and needs a session', async () => {
      const { element, clients } = await widgetFixture();
      expect(() => element.addContext('too early')).to.throw(/no live session/);
      const warnings: string[] = [];
      const warn = console.warn;
      console.warn = (message: string) => warnings.push(message);
      try {
        element.context = 'x'.repeat(CONTEXT_MAX_LENGTH + 10);
        await element.updateComplete;
      } finally {
        console.warn = warn;
      }
      expect(warnings[0]).to.match(/only the first 4096 are sent/);
      await element.start();
      await waitFor('the context', () => clients[0]!.contexts.length === 1, 3000);
      expect(clients[0]!.contexts[0]).to.have.length(CONTEXT_MAX_LENGTH);
      expect(() => element.addContext('y'.repeat(CONTEXT_MAX_LENGTH + 1))).to.throw(RangeError);
    });
  });

  describe('live activity', () => {
    it('goes listening → thinking → speaking → listening around a reply, reflected, announced and shown translated', async () => {
      const { element, clients } = await widgetFixture(html`<anam-persona data-token-endpoint="/t" lang="fr"></anam-persona>`);
      const activity = expectEvent<{ activity: string }>(element, 'anam-persona-activity');
      expect(element.activity).to.equal('');
      await element.start();
      await element.updateComplete;
      expect(element.getAttribute('activity')).to.equal('listening');
      expect(activityChip(element)).to.equal('À l’écoute…');
      element.send('Which bike carries two kids?');
      await element.updateComplete;
      expect(element.getAttribute('activity')).to.equal('thinking');
      expect(activityChip(element)).to.equal('Réflexion…');
      clients[0]!.say('1', 'The Cargo Duo', false);
      await element.updateComplete;
      expect(activityChip(element)).to.equal('En train de parler');
      clients[0]!.say('1', '.', true);
      await element.stop();
      await element.updateComplete;
      expect(activity.details.map((detail) => detail.activity)).to.deep.equal([
        'listening',
        'thinking',
        'speaking',
        'listening',
        '',
      ]);
      expect(element.hasAttribute('activity')).to.be.false;
      expect(activityChip(element)).to.equal(undefined);
    });

    it('follows the visitor speaking and the persona being interrupted', async () => {
      const { element, clients } = await widgetFixture();
      await element.start();
      clients[0]!.emit('USER_SPEECH_STARTED', 'c1');
      expect(element.activity).to.equal('listening');
      clients[0]!.emit('USER_SPEECH_ENDED', 'c1');
      expect(element.activity).to.equal('thinking');
      clients[0]!.say('2', 'Well', false);
      expect(element.activity).to.equal('speaking');
      clients[0]!.emit('TALK_STREAM_INTERRUPTED', 'c2');
      expect(element.activity).to.equal('listening');
    });
  });

  describe('reconnect', () => {
    it('reconnects a lost session with a fresh token, keeps transcript and mute, and restores context and a summary', async () => {
      const { element, clients } = await widgetFixture(
        html`<anam-persona data-token-endpoint="/t" transcript context="On the Cargo Duo page"></anam-persona>`,
      );
      const states = expectEvent<{ state: string }>(element, 'anam-persona-state');
      await element.start();
      element.send('Is it electric?');
      clients[0]!.say('1', 'Yes, with a 500 Wh battery.');
      element.mute();
      await element.updateComplete;
      clients[0]!.emit('CONNECTION_CLOSED', 'CONNECTION_CLOSED_CODE_WEBRTC_FAILURE');
      await untilState(element, 'reconnecting');
      expect(shadow(element).querySelector('.overlay')!.textContent).to.match(/Reconnecting/);
      expect(shadow(element).querySelector('.transcript')!.textContent).to.contain('Yes, with a 500 Wh battery.');
      await untilState(element, 'live');
      expect(endpoint.requests).to.have.length(2, 'a fresh token');
      expect(clients).to.have.length(2);
      expect(clients[1]!.muted).to.be.true;
      expect(element.muted).to.be.true;
      await waitFor('the restored context', () => clients[1]!.contexts.length === 2, 3000);
      expect(clients[1]!.contexts[0]).to.match(
        /conversation so far:\nVisitor: Is it electric\?\nYou: Yes, with a 500 Wh battery\./,
      );
      expect(clients[1]!.contexts[1]).to.equal('On the Cargo Duo page');
      expect(shadow(element).querySelector('.transcript')!.textContent).to.contain('Is it electric?');
      expect(states.details.map((detail) => detail.state).slice(-2)).to.deep.equal(['reconnecting', 'live']);
    });

    it('gives a start whose media stalls, the microphone settled, up for a fresh one, still connecting, and goes live', async () => {
      const { element, clients } = await widgetFixture(
        html`<anam-persona data-token-endpoint="/api/session-token" mic="off"></anam-persona>`,
        // The first start's media never arrives (Chromium's ICE gathering can stall); the next one's does.
        (client) => (client.holdStream = clients.length === 0),
      );
      element.reconnectTimeoutMs = 300;
      const states = expectEvent<{ state: string }>(element, 'anam-persona-state');
      void element.start();
      await waitFor('the stalled attempt', () => clients.length === 1);
      await new Promise((resolve) => setTimeout(resolve, 200));
      expect(element.state, 'before its deadline, the attempt is waited for').to.equal('connecting');
      await untilState(element, 'live');
      expect(clients).to.have.length(2, 'a fresh attempt after the stalled one');
      expect(clients[0]!.calls, 'the stalled client is let go').to.include('stopStreaming');
      expect(endpoint.requests).to.have.length(2, 'with a fresh token');
      expect(states.details.map((detail) => detail.state)).to.deep.equal(['requesting-token', 'connecting', 'live']);
    });

    it('waits for the microphone before it gives a stalled start up: a prompt is not a stall', async () => {
      const { element, clients } = await widgetFixture(undefined, (client) => (client.holdStream = clients.length === 0));
      element.reconnectTimeoutMs = 300;
      void element.start();
      await waitFor('the first attempt', () => clients.length === 1);
      await new Promise((resolve) => setTimeout(resolve, 500));
      expect(clients, 'no second attempt while the microphone may still be asked for').to.have.length(1);
      expect(element.state).to.equal('connecting');
      clients[0]!.emit('INPUT_AUDIO_STREAM_STARTED', new MediaStream());
      await untilState(element, 'live');
      expect(clients).to.have.length(2, 'a fresh attempt once the microphone was settled and the media stalled');
    });

    it('gives a stalled reconnect attempt up for a fresh one, still saying it reconnects, and goes live', async () => {
      const { element, clients } = await widgetFixture(undefined, (client) => {
        // The first reconnect attempt's media never arrives (a connection that stalls); the others do.
        if (clients.length === 1) client.holdStream = true;
      });
      element.reconnectTimeoutMs = 300;
      const states = expectEvent<{ state: string }>(element, 'anam-persona-state');
      await element.start();
      element.send('Is it electric?');
      clients[0]!.emit('CONNECTION_CLOSED', 'CONNECTION_CLOSED_CODE_WEBRTC_FAILURE');
      await untilState(element, 'reconnecting');
      await waitFor('the stalled attempt', () => clients.length === 2);
      await new Promise((resolve) => setTimeout(resolve, 400));
      expect(element.state, 'past its deadline, the stalled attempt does not end the conversation').to.equal('reconnecting');
      expect(shadow(element).querySelector('.overlay')!.textContent).to.match(/Reconnecting/);
      await untilState(element, 'live');
      expect(clients).to.have.length(3, 'a fresh attempt after the stalled one');
      expect(clients[1]!.calls, 'the stalled client is let go').to.include('stopStreaming');
      expect(endpoint.requests).to.have.length(3);
      expect(states.details.map((detail) => detail.state).slice(-2)).to.deep.equal(['reconnecting', 'live']);
      expect(shadow(element).querySelector('.transcript')!.textContent).to.contain('Is it electric?');
    });

    it('does not reconnect a conversation the visitor ended, or the service ended', async () => {
      const { element, clients } = await widgetFixture();
      await element.start();
      clients[0]!.emit('CONNECTION_CLOSED', 'CONNECTION_CLOSED_CODE_SERVER_CLOSED_CONNECTION');
      await untilState(element, 'ended');
      expect(clients).to.have.length(1);
    });

    it('stops trying when the visitor ends the conversation while it reconnects', async () => {
      const { element, clients } = await widgetFixture();
      await element.start();
      clients[0]!.emit('CONNECTION_CLOSED', 'CONNECTION_CLOSED_CODE_WEBRTC_FAILURE');
      await untilState(element, 'reconnecting');
      [...shadow(element).querySelectorAll('button')].find((button) => button.textContent?.includes('End conversation'))!.click();
      await untilState(element, 'ended');
      await new Promise((resolve) => setTimeout(resolve, 500));
      expect(clients).to.have.length(1);
      expect(element.state).to.equal('ended');
    });
  });
});
