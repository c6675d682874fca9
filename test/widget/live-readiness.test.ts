import { expect } from '@open-wc/testing';
import { FAKE_TOKEN, stubTokenEndpoint } from '../browser-helpers/fake-client.ts';
import { waitFor } from '../browser-helpers/test-server.ts';
import { button, expectEvent, shadow, untilState, widgetFixture } from '../browser-helpers/widget.ts';

describe('<anam-persona> is live only when the persona can hear text', () => {
  let endpoint: ReturnType<typeof stubTokenEndpoint>;
  beforeEach(() => (endpoint = stubTokenEndpoint({ body: { sessionToken: FAKE_TOKEN } })));
  afterEach(() => endpoint.restore());

  it('waits for the data channel after the video arrives, so a send() from the ready handler is heard', async () => {
    const { element, clients } = await widgetFixture(undefined, (client) => (client.holdDataChannel = true));
    const ready = expectEvent(element, 'anam-persona-ready');
    element.addEventListener('anam-persona-ready', () => element.send('Hello from the page'), { once: true });
    void element.start();
    await waitFor('the video', () => shadow(element).querySelector('video')?.srcObject);
    await new Promise((resolve) => setTimeout(resolve, 50));
    expect(element.state, 'still connecting while the data channel opens').to.equal('connecting');
    expect(ready.details).to.have.length(0);
    const composer = () => shadow(element).querySelector('.composer')!;
    expect(getComputedStyle(composer()).visibility, 'no message box yet (laid out, hidden)').to.equal('hidden');
    clients[0]!.openDataChannel();
    await untilState(element, 'live');
    expect(clients[0]!.sent).to.deep.equal(['Hello from the page']);
    expect(clients[0]!.dropped).to.deep.equal([]);
    expect(getComputedStyle(composer()).visibility, 'the message box once live').to.equal('visible');
    expect(composer().querySelector('input'), 'a message box to type in').to.exist;
    expect(shadow(element).querySelector('.transcript')!.textContent).to.contain('Hello from the page');
  });

  it('tells the visitor it could not connect when the data channel never opens', async () => {
    const { element } = await widgetFixture(undefined, (client) => (client.holdDataChannel = true));
    const ready = expectEvent(element, 'anam-persona-ready');
    element.connectTimeoutMs = 300;
    await element.start();
    expect(element.state).to.equal('error');
    expect(ready.details).to.have.length(0);
    expect(shadow(element).querySelector('[role="alert"]')!.textContent).to.match(/couldn't connect/i);
    expect(button(element, 'Try again')).to.exist;
  });
});
