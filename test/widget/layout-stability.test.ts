import { expect, html } from '@open-wc/testing';
import { sendKeys } from '@web/test-runner-commands';
import type { AnamPersona } from '../../widget/anam-persona.ts';
import { stubTokenEndpoint } from '../browser-helpers/fake-client.ts';
import { waitFor } from '../browser-helpers/test-server.ts';
import { button, shadow, untilState, widgetFixture } from '../browser-helpers/widget.ts';

/** A tiny picture, inline so the test fetches nothing. */
const FACE =
  'data:image/svg+xml,' +
  encodeURIComponent(
    '<svg xmlns="http://www.w3.org/2000/svg" width="4" height="4"><rect width="4" height="4" fill="#c96"/></svg>',
  );

const LONG_REPLY =
  'Our stores open Monday to Saturday from nine to six, and the workshop takes bookings for the same day when there is room.';

/** The host's laid-out height, as the page around it sees it. */
const height = (element: AnamPersona) => element.getBoundingClientRect().height;

/** Lets the widget render what changed (reading a box then lays it out; no frame needed, WebKit's automation window paints none). */
async function settle(element: AnamPersona): Promise<void> {
  await element.updateComplete;
}

/** Whether a visitor sees this element: shown, in the widget, and nothing over its centre. */
function readable(element: AnamPersona, target: Element): boolean {
  const { left, right, top, bottom } = target.getBoundingClientRect();
  const box = element.getBoundingClientRect();
  const [x, y] = [(left + right) / 2, (top + bottom) / 2];
  return (
    getComputedStyle(target).visibility === 'visible' &&
    y > box.top &&
    y < box.bottom &&
    target.contains(shadow(element).elementFromPoint(x, y))
  );
}

/** Whether a visitor can see (and so reach) this control. */
const shown = (control: Element | null | undefined) =>
  !!control && getComputedStyle(control).visibility === 'visible' && control.getBoundingClientRect().width > 0;

describe('<anam-persona> inline keeps one size, so the page below it does not jump', () => {
  let endpoint: ReturnType<typeof stubTokenEndpoint>;
  beforeEach(() => {
    localStorage.clear();
    endpoint = stubTokenEndpoint({ body: { sessionToken: 'eyJhbGciOiJIUzI1NiJ9.eyJ0eXBlIjoic3RhdGVmdWwifQ.c2ln' } });
  });
  afterEach(() => endpoint.restore());

  for (const width of [360, 720]) {
    it(`is as tall in every state as it is idle, at ${width} px wide, with every option on`, async () => {
      const { element, clients } = await widgetFixture(
        html`<anam-persona
          data-token-endpoint="/t"
          style="width: ${width}px"
          transcript
          consent
          feedback
          poster=${FACE}
        ></anam-persona>`,
        (client) => (client.holdStream = true),
      );
      const heights: Record<string, number> = {};
      const measure = async (state: string) => {
        await settle(element);
        heights[state] = height(element);
      };
      await measure('idle');
      button(element, 'Start conversation')!.click();
      await waitFor('the consent panel', () => shadow(element).querySelector('[part~="consent"]'));
      await measure('consent');
      button(element, 'Accept')!.click();
      await untilState(element, 'connecting');
      await measure('connecting');
      clients[0]!.finishStream();
      await untilState(element, 'live');
      await measure('live');
      for (const id of ['a', 'b', 'c', 'd']) clients[0]!.say(id, LONG_REPLY);
      element.send('When is the workshop open on Saturdays?');
      await measure('live with a long transcript');
      clients[0]!.say('e', 'Let me check that for you', false);
      await waitFor('the Interrupt button', () => button(element, 'Interrupt'));
      await measure('live while the persona speaks');
      clients[0]!.emit('MIC_PERMISSION_DENIED', 'Permission denied');
      await measure('live with the microphone blocked');
      await element.stop();
      await untilState(element, 'ended');
      await measure('ended, asking for feedback');
      button(element, 'Yes, it was helpful')!.click();
      await measure('ended, feedback comment open');
      button(element, 'Send feedback')!.click();
      await measure('ended, feedback sent');
      clients.length = 0;
      void element.start();
      await waitFor('the second client', () => clients[0]);
      clients[0]!.emit('CONNECTION_CLOSED', 'CONNECTION_CLOSED_CODE_WEBRTC_FAILURE');
      await untilState(element, 'error');
      await measure('error');
      const idle = heights['idle']!;
      for (const [state, value] of Object.entries(heights)) expect(value, state).to.be.closeTo(idle, 1);
      expect(idle, 'the stage at its aspect ratio, plus the rows').to.be.greaterThan((width * 9) / 16 + 100);
    });
  }

  it('is as tall in every state without a transcript, with mic="off", at its 280 px minimum', async () => {
    const { element, clients } = await widgetFixture(
      html`<anam-persona data-token-endpoint="/t" mic="off" style="width: 280px"></anam-persona>`,
    );
    await settle(element);
    const idle = height(element);
    await element.start();
    await untilState(element, 'live');
    await settle(element);
    expect(height(element), 'live').to.be.closeTo(idle, 1);
    clients[0]!.say('a', LONG_REPLY, false);
    await waitFor('the Interrupt button', () => button(element, 'Interrupt'));
    await settle(element);
    expect(height(element), 'live while the persona speaks').to.be.closeTo(idle, 1);
    const end = button(element, 'End conversation')!;
    expect(end.getBoundingClientRect().right, 'End stays inside the widget').to.be.at.most(element.getBoundingClientRect().right);
    await element.stop();
    await untilState(element, 'ended');
    await settle(element);
    expect(height(element), 'ended').to.be.closeTo(idle, 1);
  });

  for (const width of [360, 720]) {
    it(`keeps one size when the site restyles the buttons and the font, at ${width} px wide`, async () => {
      const theme = document.createElement('style');
      theme.textContent =
        'anam-persona.themed { --anam-persona-font-size: 19px } anam-persona.themed::part(button) { padding: 14px 22px }';
      document.head.append(theme);
      try {
        const { element, clients } = await widgetFixture(
          html`<anam-persona class="themed" data-token-endpoint="/t" transcript style="width: ${width}px"></anam-persona>`,
        );
        await settle(element);
        const idle = height(element);
        expect(shadow(element).querySelector('input'), 'no message box made before a first start').to.be.null;
        await element.start();
        await untilState(element, 'live');
        clients[0]!.say('a', 'Let me check that for you', false);
        await waitFor('the Interrupt button', () => button(element, 'Interrupt'));
        await settle(element);
        expect(height(element), 'live while the persona speaks').to.be.closeTo(idle, 1);
        await element.stop();
        await untilState(element, 'ended');
        await settle(element);
        expect(height(element), 'ended').to.be.closeTo(idle, 1);
      } finally {
        theme.remove();
      }
    });
  }

  it('keeps the live controls out of sight, of the keyboard and of screen readers until live', async () => {
    const { element } = await widgetFixture(html`<anam-persona data-token-endpoint="/t" transcript></anam-persona>`);
    await settle(element);
    const composer = () => shadow(element).querySelector('.composer input');
    expect(shown(composer()), 'the message box before Start').to.be.false;
    expect(shown(button(element, 'End conversation')), 'End before Start').to.be.false;
    await expect(element).to.be.accessible();
    // The page's next field, so Tab stays in the page (Firefox would move focus to its own toolbar).
    const next = document.createElement('input');
    next.setAttribute('aria-label', 'next field');
    element.after(next);
    button(element, 'Start conversation')!.focus();
    await sendKeys({ press: 'Tab' });
    expect(document.activeElement === next, 'Tab goes from Start to the page, past the hidden controls').to.be.true;
    next.remove();
    await element.start();
    await untilState(element, 'live');
    await settle(element);
    expect(shown(composer()), 'the message box once live').to.be.true;
    expect(shown(button(element, 'End conversation')), 'End once live').to.be.true;
    await expect(element).to.be.accessible();
    await element.stop();
    await untilState(element, 'ended');
    await settle(element);
    expect(shown(composer()), 'the message box after the end').to.be.false;
    await expect(element).to.be.accessible();
  });

  for (const width of [360, 720]) {
    it(`keeps the transcript readable after End, in the same height, below the ended view, at ${width} px wide`, async () => {
      const { element, clients } = await widgetFixture(
        html`<anam-persona data-token-endpoint="/t" transcript feedback poster=${FACE} style="width: ${width}px"></anam-persona>`,
      );
      await settle(element);
      const idle = height(element);
      await element.start();
      await untilState(element, 'live');
      for (const id of ['a', 'b', 'c']) clients[0]!.say(id, LONG_REPLY);
      element.send('When is the workshop open on Saturdays?');
      button(element, 'End conversation')!.click();
      await untilState(element, 'ended');
      await settle(element);
      expect(height(element), 'ended').to.be.closeTo(idle, 1);
      const transcript = shadow(element).querySelector<HTMLElement>('.transcript')!;
      const lines = [...transcript.querySelectorAll('li')];
      expect(lines.length, 'every line kept').to.equal(4);
      expect(transcript.scrollHeight, 'more lines than fit, so it scrolls').to.be.greaterThan(transcript.clientHeight);
      const overlay = shadow(element).querySelector('.overlay')!;
      expect(overlay.getBoundingClientRect().bottom, 'the ended view ends where the transcript starts').to.be.at.most(
        transcript.getBoundingClientRect().top + 1,
      );
      expect(transcript.getBoundingClientRect().bottom, 'the transcript at the bottom').to.be.closeTo(
        element.getBoundingClientRect().bottom - 1,
        1,
      );
      lines.at(-1)!.scrollIntoView({ block: 'nearest' });
      expect(readable(element, lines.at(-1)!), 'the last line, shown and not covered').to.be.true;
      for (const label of ['Start again', 'Yes, it was helpful', 'No, it was not helpful'])
        expect(readable(element, button(element, label)!), `${label}, shown and not covered`).to.be.true;
      button(element, 'No, it was not helpful')!.focus();
      await sendKeys({ press: 'Tab' });
      expect(shadow(element).activeElement, 'Tab reaches the transcript').to.equal(transcript);
      await sendKeys({ press: 'Home' });
      await waitFor('the transcript scrolled to its first line', () => transcript.scrollTop === 0);
      lines[0]!.scrollIntoView({ block: 'nearest' });
      expect(readable(element, lines[0]!), 'the first line, shown and not covered').to.be.true;
      await expect(element).to.be.accessible();
    });
  }

  for (const { state, closedBy, button: above } of [
    // The microphone refused mid-conversation ends it in an error; a lost connection reconnects.
    { state: 'error', closedBy: 'CONNECTION_CLOSED_CODE_MICROPHONE_PERMISSION_DENIED', button: 'Try again' },
    { state: 'reconnecting', closedBy: 'CONNECTION_CLOSED_CODE_WEBRTC_FAILURE', button: 'End conversation' },
  ] as const) {
    it(`keeps the transcript readable when ${state}, with ${above} above it`, async () => {
      const { element, clients } = await widgetFixture(
        html`<anam-persona data-token-endpoint="/t" transcript style="width: 360px"></anam-persona>`,
        // A reconnect attempt's media does not arrive while the test looks.
        (client) => (client.holdStream = clients.length > 0),
      );
      await settle(element);
      const idle = height(element);
      await element.start();
      await untilState(element, 'live');
      clients[0]!.say('a', LONG_REPLY);
      clients[0]!.emit('CONNECTION_CLOSED', closedBy);
      await untilState(element, state);
      await settle(element);
      expect(height(element), state).to.be.closeTo(idle, 1);
      const line = shadow(element).querySelector('.transcript li')!;
      line.scrollIntoView({ block: 'nearest' });
      expect(readable(element, line), 'the line, shown and not covered').to.be.true;
      expect(readable(element, button(element, above)!), `${above}, shown and not covered`).to.be.true;
      await element.stop();
    });
  }

  it('covers the whole box as before when an error comes before any conversation', async () => {
    const { element, clients } = await widgetFixture(
      html`<anam-persona data-token-endpoint="/t" transcript style="width: 360px"></anam-persona>`,
      (client) => (client.holdStream = true),
    );
    void element.start();
    await waitFor('the client', () => clients[0]);
    clients[0]!.emit('CONNECTION_CLOSED', 'CONNECTION_CLOSED_CODE_WEBRTC_FAILURE');
    await untilState(element, 'error');
    await settle(element);
    const { left, right, bottom } = element.getBoundingClientRect();
    const atTheBottom = shadow(element).elementFromPoint((left + right) / 2, bottom - 20);
    expect(shadow(element).querySelector('.overlay.error')!.contains(atTheBottom), 'the error view down to the bottom').to.be
      .true;
  });
});
