import { expect, fixture, html } from '@open-wc/testing';
import { sendKeys } from '@web/test-runner-commands';
import { LitElement } from 'lit';
import { DurationController } from '../../widget/duration-controller.ts';
import { IdleController } from '../../widget/idle-controller.ts';
import { stubTokenEndpoint } from '../browser-helpers/fake-client.ts';
import { FakeClock, restoreTabVisibility, setTabHidden } from '../browser-helpers/fake-clock.ts';
import { button, expectEvent, shadow, untilState, widgetFixture } from '../browser-helpers/widget.ts';

/** The smallest host the time controllers need: a live flag and a speaking flag. */
class TimedHost extends LitElement {
  live = false;
  busy = false;
  timeoutSeconds = 60;
  limitSeconds = 0;
  timeouts = 0;
  limits = 0;
  readonly clock = new FakeClock();
  readonly idle = new IdleController(this, {
    timeoutSeconds: () => this.timeoutSeconds,
    graceMs: () => 15_000,
    live: () => this.live,
    busy: () => this.busy,
    onTimeout: () => this.timeouts++,
    clock: () => this.clock,
  });
  readonly duration = new DurationController(this, {
    limitSeconds: () => this.limitSeconds,
    live: () => this.live,
    onLimit: () => this.limits++,
    clock: () => this.clock,
  });

  async set(change: Partial<Pick<TimedHost, 'live'>>): Promise<void> {
    Object.assign(this, change);
    this.requestUpdate();
    await this.updateComplete;
  }

  /** What the activity controller does when something is said: who speaks now, then the signal. */
  hear(busy = this.busy): void {
    this.busy = busy;
    this.idle.activity();
  }
}
customElements.define('timed-test-host', TimedHost);

const seconds = (value: number) => value * 1000;

describe('IdleController', () => {
  let host: TimedHost;
  beforeEach(async () => {
    host = await fixture<TimedHost>(html`<timed-test-host></timed-test-host>`);
  });
  afterEach(() => restoreTabVisibility());

  it('does nothing while not live', () => {
    host.clock.advance(seconds(3600));
    expect(host.idle.prompting).to.be.false;
    expect(host.timeouts).to.equal(0);
  });

  it('asks after the timeout of silence, and ends 15 s later if unanswered', async () => {
    await host.set({ live: true });
    host.clock.advance(seconds(59));
    expect(host.idle.prompting).to.be.false;
    host.clock.advance(seconds(1));
    expect(host.idle.prompting).to.be.true;
    host.clock.advance(seconds(14));
    expect(host.timeouts).to.equal(0);
    host.clock.advance(seconds(1));
    expect(host.timeouts).to.equal(1);
    expect(host.idle.prompting).to.be.false;
    host.clock.advance(seconds(600));
    expect(host.timeouts).to.equal(1);
  });

  it('starts counting again after anything heard and after typing', async () => {
    await host.set({ live: true });
    host.clock.advance(seconds(50));
    host.hear();
    host.clock.advance(seconds(50));
    expect(host.idle.prompting).to.be.false;
    host.idle.activity();
    host.clock.advance(seconds(59));
    expect(host.idle.prompting).to.be.false;
    host.clock.advance(seconds(1));
    expect(host.idle.prompting).to.be.true;
  });

  it('does not count while the persona speaks, and counts from the end of its speech', async () => {
    await host.set({ live: true });
    host.clock.advance(seconds(30));
    host.hear(true);
    host.clock.advance(seconds(300));
    expect(host.idle.prompting).to.be.false;
    host.hear(false);
    host.clock.advance(seconds(59));
    expect(host.idle.prompting).to.be.false;
    host.clock.advance(seconds(1));
    expect(host.idle.prompting).to.be.true;
  });

  it('goes away on Continue or on activity, and the count restarts', async () => {
    await host.set({ live: true });
    host.clock.advance(seconds(60));
    host.idle.continue();
    expect(host.idle.prompting).to.be.false;
    host.clock.advance(seconds(59));
    expect(host.idle.prompting).to.be.false;
    host.clock.advance(seconds(1));
    host.hear();
    expect(host.idle.prompting).to.be.false;
    host.clock.advance(seconds(74));
    expect(host.timeouts).to.equal(0);
    host.clock.advance(seconds(1));
    expect(host.timeouts).to.equal(1);
  });

  it('is off with 0, and stops when the session stops', async () => {
    host.timeoutSeconds = 0;
    await host.set({ live: true });
    host.clock.advance(seconds(3600));
    expect(host.idle.prompting).to.be.false;
    host.timeoutSeconds = 60;
    await host.set({ live: false });
    await host.set({ live: true });
    host.clock.advance(seconds(30));
    await host.set({ live: false });
    host.clock.advance(seconds(3600));
    expect(host.timeouts).to.equal(0);
  });

  it('counts a hidden tab as idle from the moment it was hidden, even while the persona talks', async () => {
    await host.set({ live: true });
    host.clock.advance(seconds(10));
    setTabHidden(true);
    host.hear(true);
    host.clock.advance(seconds(60));
    expect(host.idle.prompting).to.be.true;
    host.clock.advance(seconds(15));
    expect(host.timeouts).to.equal(1);
  });

  it('settles an overdue hidden tab when it is shown again (background timers run late)', async () => {
    await host.set({ live: true });
    setTabHidden(true);
    // Time passes but the throttled timers have not run: the return itself must decide.
    (host.clock as unknown as { time: number }).time += seconds(90);
    setTabHidden(false);
    expect(host.timeouts).to.equal(1);
  });

  it('treats coming back within the timeout as presence', async () => {
    await host.set({ live: true });
    host.clock.advance(seconds(40));
    setTabHidden(true);
    host.clock.advance(seconds(40));
    setTabHidden(false);
    host.clock.advance(seconds(59));
    expect(host.idle.prompting).to.be.false;
    host.clock.advance(seconds(1));
    expect(host.idle.prompting).to.be.true;
  });
});

describe('DurationController', () => {
  it('gives notice a little before the limit, then ends the session; nothing when off or not live', async () => {
    const host = await fixture<TimedHost>(html`<timed-test-host></timed-test-host>`);
    host.timeoutSeconds = 0;
    await host.set({ live: true });
    host.clock.advance(seconds(7200));
    expect(host.limits).to.equal(0);
    await host.set({ live: false });
    host.limitSeconds = 120;
    host.clock.advance(seconds(7200));
    expect(host.limits).to.equal(0);
    await host.set({ live: true });
    host.clock.advance(seconds(89));
    expect(host.duration.noticeSeconds).to.be.undefined;
    host.clock.advance(seconds(1));
    expect(host.duration.noticeSeconds).to.equal(30);
    host.clock.advance(seconds(30));
    expect(host.limits).to.equal(1);
    expect(host.duration.noticeSeconds).to.be.undefined;
  });
});

describe('<anam-persona> idle-timeout and max-duration', () => {
  let endpoint: ReturnType<typeof stubTokenEndpoint>;
  beforeEach(
    () => (endpoint = stubTokenEndpoint({ body: { sessionToken: 'eyJhbGciOiJIUzI1NiJ9.eyJ0eXBlIjoic3RhdGVmdWwifQ.c2ln' } })),
  );
  afterEach(() => {
    endpoint.restore();
    restoreTabVisibility();
  });

  async function liveWidget(template = html`<anam-persona data-token-endpoint="/t" transcript></anam-persona>`) {
    const fixtureResult = await widgetFixture(template);
    const clock = new FakeClock();
    fixtureResult.element.clock = clock;
    await fixtureResult.element.start();
    await untilState(fixtureResult.element, 'live');
    return { ...fixtureResult, clock };
  }
  const prompt = (element: HTMLElement) => shadow(element as never).querySelector('[part~="idle-prompt"]');

  it('asks "Are you still there?" after 180 s by default, accessibly, and Continue keeps the session', async () => {
    const { element, clock } = await liveWidget();
    clock.advance(seconds(179));
    await element.updateComplete;
    expect(prompt(element)).to.be.null;
    clock.advance(seconds(1));
    await element.updateComplete;
    expect(prompt(element)!.querySelector('[role="alert"]')!.textContent).to.contain('Are you still there?');
    await expect(element).to.be.accessible();
    button(element, 'Continue')!.focus();
    await sendKeys({ press: 'Enter' });
    await element.updateComplete;
    expect(prompt(element)).to.be.null;
    clock.advance(seconds(60));
    expect(element.state).to.equal('live');
  });

  it('ends an unanswered session with its reason, in the event and on screen, translated', async () => {
    const { element, clock, clients } = await liveWidget(html`<anam-persona data-token-endpoint="/t" lang="es"></anam-persona>`);
    const states = expectEvent<{ state: string; reason?: string }>(element, 'anam-persona-state');
    clock.advance(seconds(180));
    await element.updateComplete;
    expect(prompt(element)!.textContent).to.contain('¿Sigues ahí?');
    clock.advance(seconds(15));
    await untilState(element, 'ended');
    expect(states.details.at(-1)).to.deep.equal({ state: 'ended', reason: 'idle-timeout' });
    expect(clients[0]!.calls).to.include('stopStreaming');
    expect(shadow(element).querySelector('[part~="overlay"]')!.textContent).to.contain('no había nadie');
    expect(prompt(element)).to.be.null;
  });

  it("is postponed by typing, by the persona speaking, by the visitor speaking and by the visitor's caption", async () => {
    const { element, clock, clients } = await liveWidget(
      html`<anam-persona data-token-endpoint="/t" transcript idle-timeout="60"></anam-persona>`,
    );
    clock.advance(seconds(50));
    shadow(element).querySelector('input')!.focus();
    await sendKeys({ type: 'hel' });
    clock.advance(seconds(50));
    clients[0]!.say('1', 'Still here to help.');
    await element.updateComplete;
    clock.advance(seconds(50));
    clients[0]!.emit('USER_SPEECH_STARTED', 'mic-1');
    clients[0]!.emit('USER_SPEECH_ENDED', 'mic-1');
    await element.updateComplete;
    clock.advance(seconds(50));
    clients[0]!.emit('MESSAGE_STREAM_EVENT_RECEIVED', {
      id: 'user::1',
      content: 'Hmm, let me think.',
      role: 'user',
      endOfSpeech: true,
      interrupted: false,
    });
    await element.updateComplete;
    clock.advance(seconds(50));
    await element.updateComplete;
    expect(prompt(element)).to.be.null;
    expect(clients[0]!.calls).not.to.include('stopStreaming');
    clock.advance(seconds(10));
    await element.updateComplete;
    expect(prompt(element)).to.exist;
  });

  it('does not end a visitor who keeps speaking, before any caption, nor a persona speaking at length', async () => {
    const { element, clock, clients } = await liveWidget(
      html`<anam-persona data-token-endpoint="/t" idle-timeout="60"></anam-persona>`,
    );
    const client = clients[0]!;
    clock.advance(seconds(30));
    client.emit('USER_SPEECH_STARTED', 'mic-1');
    await element.updateComplete;
    clock.advance(seconds(40));
    await element.updateComplete;
    expect(Boolean(prompt(element)), 'asked "Are you still there?" while the visitor speaks').to.be.false;
    clock.advance(seconds(300));
    await element.updateComplete;
    expect(prompt(element)).to.be.null;
    expect(client.calls).not.to.include('stopStreaming');
    // Silence counts from the end of the visitor's speech, then from the end of the persona's.
    client.emit('USER_SPEECH_ENDED', 'mic-1');
    await element.updateComplete;
    clock.advance(seconds(40));
    client.say('1', 'Let me tell you about every bike we have', false);
    await element.updateComplete;
    clock.advance(seconds(300));
    await element.updateComplete;
    expect(prompt(element)).to.be.null;
    client.say('1', 'Let me tell you about every bike we have. Done.');
    await element.updateComplete;
    clock.advance(seconds(59));
    await element.updateComplete;
    expect(prompt(element)).to.be.null;
    clock.advance(seconds(1));
    await element.updateComplete;
    expect(prompt(element)).to.exist;
  });

  it('counts a hidden tab as idle', async () => {
    const { element, clock, clients } = await liveWidget(
      html`<anam-persona data-token-endpoint="/t" idle-timeout="30"></anam-persona>`,
    );
    setTabHidden(true);
    clients[0]!.say('1', 'Talking to an empty room.', false);
    clock.advance(seconds(45));
    await untilState(element, 'ended');
    expect(element.shadowRoot!.textContent).to.contain('nobody was there');
  });

  it('never runs with idle-timeout="0", nor before the session is live', async () => {
    const { element, clock } = await liveWidget(html`<anam-persona data-token-endpoint="/t" idle-timeout="0"></anam-persona>`);
    clock.advance(seconds(36_000));
    await element.updateComplete;
    expect(element.state).to.equal('live');
    expect(prompt(element)).to.be.null;
    const { element: idle } = await widgetFixture();
    const idleClock = new FakeClock();
    idle.clock = idleClock;
    idleClock.advance(seconds(36_000));
    await idle.updateComplete;
    expect(idle.state).to.equal('idle');
    expect(prompt(idle)).to.be.null;
  });

  it('ends at max-duration with a notice a little before, and its reason', async () => {
    const { element, clock } = await liveWidget(
      html`<anam-persona data-token-endpoint="/t" max-duration="120" idle-timeout="0" lang="de"></anam-persona>`,
    );
    const states = expectEvent<{ state: string; reason?: string }>(element, 'anam-persona-state');
    clock.advance(seconds(90));
    await element.updateComplete;
    const notice = shadow(element).querySelector('[part="time-notice"]')!;
    expect(notice.getAttribute('role')).to.equal('status');
    expect(notice.textContent).to.contain('Dieses Gespräch endet in 30 s.');
    await expect(element).to.be.accessible();
    clock.advance(seconds(30));
    await untilState(element, 'ended');
    expect(states.details.at(-1)).to.deep.equal({ state: 'ended', reason: 'max-duration' });
    expect(shadow(element).querySelector('[part="time-notice"]')).to.be.null;
    expect(shadow(element).querySelector('[part~="overlay"]')!.textContent).to.contain('maximale Dauer');
  });

  it('has no time limit by default, and says "stopped" when the visitor ends it', async () => {
    const { element, clock } = await liveWidget(html`<anam-persona data-token-endpoint="/t" idle-timeout="0"></anam-persona>`);
    const states = expectEvent<{ state: string; reason?: string }>(element, 'anam-persona-state');
    clock.advance(seconds(36_000));
    expect(element.state).to.equal('live');
    button(element, 'End conversation')!.click();
    await untilState(element, 'ended');
    expect(states.details.at(-1)).to.deep.equal({ state: 'ended', reason: 'stopped' });
  });
});
