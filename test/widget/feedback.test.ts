import { expect, html } from '@open-wc/testing';
import { sendKeys } from '@web/test-runner-commands';
import type { AnamPersona } from '../../widget/anam-persona.ts';
import { stubTokenEndpoint } from '../browser-helpers/fake-client.ts';
import { button, expectEvent, shadow, typeKeys, untilState, widgetFixture } from '../browser-helpers/widget.ts';

type Feedback = { sessionId: string; rating: string; comment?: string };

describe('<anam-persona feedback>', () => {
  let endpoint: ReturnType<typeof stubTokenEndpoint>;
  beforeEach(
    () => (endpoint = stubTokenEndpoint({ body: { sessionToken: 'eyJhbGciOiJIUzI1NiJ9.eyJ0eXBlIjoic3RhdGVmdWwifQ.c2ln' } })),
  );
  afterEach(() => endpoint.restore());

  async function endedWidget(template = html`<anam-persona data-token-endpoint="/t" feedback></anam-persona>`) {
    const result = await widgetFixture(template);
    const events = expectEvent<Feedback>(result.element, 'anam-persona-feedback');
    await result.element.start();
    await untilState(result.element, 'live');
    await result.element.stop();
    await untilState(result.element, 'ended');
    await result.element.updateComplete;
    return { ...result, events };
  }
  const form = (element: AnamPersona) => shadow(element).querySelector('[part="feedback"]');

  it('asks "Was this helpful?" when the conversation ends, accessibly, and not before', async () => {
    const { element } = await widgetFixture(html`<anam-persona data-token-endpoint="/t" feedback></anam-persona>`);
    expect(form(element)).to.be.null;
    await element.start();
    await untilState(element, 'live');
    expect(form(element)).to.be.null;
    await element.stop();
    await untilState(element, 'ended');
    await element.updateComplete;
    expect(form(element)!.textContent).to.contain('Was this helpful?');
    await expect(element).to.be.accessible();
    button(element, 'Yes, it was helpful')!.click();
    await element.updateComplete;
    await expect(element).to.be.accessible();
  });

  it('sends the rating and a trimmed, bounded comment from the keyboard, then thanks the visitor', async () => {
    const { element, events } = await endedWidget();
    button(element, 'No, it was not helpful')!.focus();
    await sendKeys({ press: 'Enter' });
    await element.updateComplete;
    expect(button(element, 'No, it was not helpful')!.getAttribute('aria-pressed')).to.equal('true');
    const comment = shadow(element).querySelector('textarea')!;
    expect(comment.maxLength).to.equal(500);
    expect(shadow(element).querySelector(`label[for="${comment.id}"]`)!.textContent).to.contain('Tell us more');
    comment.focus();
    await typeKeys('  It did not know my order.  ');
    await sendKeys({ press: 'Tab' });
    await sendKeys({ press: 'Enter' });
    await element.updateComplete;
    expect(events.details).to.deep.equal([{ sessionId: 'fake-session-1', rating: 'down', comment: 'It did not know my order.' }]);
    expect(form(element)!.getAttribute('role')).to.equal('status');
    expect(form(element)!.textContent).to.contain('Thank you for your feedback.');
  });

  it('sends no comment field when the comment is empty', async () => {
    const { element, events } = await endedWidget();
    button(element, 'Yes, it was helpful')!.click();
    await element.updateComplete;
    button(element, 'Send feedback')!.click();
    await element.updateComplete;
    expect(events.details).to.deep.equal([{ sessionId: 'fake-session-1', rating: 'up' }]);
  });

  it('never blocks Start again: a chosen rating is sent once when the visitor starts again', async () => {
    const { element, events } = await endedWidget();
    button(element, 'Yes, it was helpful')!.click();
    await element.updateComplete;
    button(element, 'Start again')!.click();
    await untilState(element, 'live');
    expect(events.details).to.deep.equal([{ sessionId: 'fake-session-1', rating: 'up' }]);
    expect(form(element)).to.be.null;
    await element.stop();
    await untilState(element, 'ended');
    await element.updateComplete;
    expect(button(element, 'Yes, it was helpful')!.getAttribute('aria-pressed')).to.equal('false');
    button(element, 'Start again')!.click();
    await untilState(element, 'live');
    expect(events.details).to.have.length(1);
  });

  it('is absent without the attribute, and translated', async () => {
    const { element } = await endedWidget(html`<anam-persona data-token-endpoint="/t"></anam-persona>`);
    expect(form(element)).to.be.null;
    const { element: french } = await endedWidget(
      html`<anam-persona data-token-endpoint="/t" feedback lang="fr"></anam-persona>`,
    );
    expect(form(french)!.textContent).to.contain('Cela vous a-t-il aidé ?');
    expect(button(french, 'Oui, cela m’a aidé')).to.exist;
  });
});
