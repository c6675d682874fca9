import { expect, html } from '@open-wc/testing';
import { sendKeys } from '@web/test-runner-commands';
import type { AnamPersona } from '../../widget/anam-persona.ts';
import { FAKE_TOKEN, stubTokenEndpoint } from '../browser-helpers/fake-client.ts';
import { button, shadow, typeKeys, untilState, widgetFixture } from '../browser-helpers/widget.ts';

/** The control a keyboard visitor is on, described as they would: its part, or the page body. */
function focused(element: AnamPersona): string {
  if (document.activeElement !== element) return document.activeElement?.tagName.toLowerCase() ?? 'nothing';
  const inner = shadow(element).activeElement;
  return inner?.getAttribute('part') ?? inner?.className ?? 'host';
}

describe('<anam-persona> keeps keyboard focus', () => {
  let endpoint: ReturnType<typeof stubTokenEndpoint>;
  afterEach(() => endpoint.restore());

  // ' ' rather than 'Space': the one name for the space bar that Chromium's CDP, Firefox's BiDi and WebDriver all know.
  for (const [name, key] of [
    ['Enter', 'Enter'],
    ['Space', ' '],
  ] as const) {
    it(`moves focus to the message box after Start by ${name}, to Start again after End, and back`, async () => {
      endpoint = stubTokenEndpoint({ body: { sessionToken: FAKE_TOKEN } });
      const { element } = await widgetFixture();
      button(element, 'Start conversation')!.focus();
      await sendKeys({ press: key });
      await untilState(element, 'live');
      expect(focused(element)).to.equal('input');
      await typeKeys('Hello');
      expect(shadow(element).querySelector('input')!.value).to.equal('Hello');
      button(element, 'End conversation')!.focus();
      await sendKeys({ press: key });
      await untilState(element, 'ended');
      expect(focused(element)).to.equal('button start');
      await sendKeys({ press: key });
      await untilState(element, 'live');
      expect(focused(element)).to.equal('input');
    });
  }

  it('moves focus to Try again after a failure, and to the message box after Retry', async () => {
    endpoint = stubTokenEndpoint({ status: 404, body: 'Not Found' }, { body: { sessionToken: FAKE_TOKEN } });
    const { element } = await widgetFixture();
    button(element, 'Start conversation')!.focus();
    await sendKeys({ press: 'Enter' });
    await untilState(element, 'error');
    expect(focused(element)).to.equal('button retry');
    await sendKeys({ press: 'Enter' });
    await untilState(element, 'live');
    expect(focused(element)).to.equal('input');
  });

  it('leaves focus alone when the visitor is elsewhere on the page', async () => {
    endpoint = stubTokenEndpoint({ body: { sessionToken: FAKE_TOKEN } });
    const { element } = await widgetFixture();
    const field = document.createElement('input');
    document.body.append(field);
    field.focus();
    await element.start();
    await untilState(element, 'live');
    expect(document.activeElement).to.equal(field);
    field.remove();
  });

  it('closes the floating panel with Escape without a click into it, and returns to the launcher', async () => {
    endpoint = stubTokenEndpoint({ body: { sessionToken: FAKE_TOKEN } });
    const { element } = await widgetFixture(html`<anam-persona data-token-endpoint="/t" layout="floating"></anam-persona>`);
    const panel = shadow(element).querySelector<HTMLElement>('.panel')!;
    // Opened by the page (a "Chat with us" link), with focus on the page.
    (document.activeElement as HTMLElement | null)?.blur();
    await element.start();
    await untilState(element, 'live');
    expect(panel.hidden).to.be.false;
    await sendKeys({ press: 'Escape' });
    await element.updateComplete;
    expect(panel.hidden).to.be.true;
    expect(focused(element)).to.equal('launcher button');
    // Opened from the launcher by keyboard, closed by Escape at once.
    await sendKeys({ press: 'Enter' });
    await element.updateComplete;
    expect(panel.hidden).to.be.false;
    await sendKeys({ press: 'Escape' });
    await element.updateComplete;
    expect(panel.hidden).to.be.true;
  });
});
