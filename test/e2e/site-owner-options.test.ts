import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { Page } from 'puppeteer-core';
import { clickButton, openPage, startHarness, waitForState, waitUntil } from './harness.ts';

type Harness = Awaited<ReturnType<typeof startHarness>>;

/** Sets attributes (and test-only properties) on the page's widget, and records its state events. */
async function configure(page: Page, attributes: Record<string, string>, properties: Record<string, number> = {}) {
  await page.evaluate(
    (attrs, props) => {
      const element = document.querySelector('anam-persona')!;
      for (const [name, value] of Object.entries(attrs)) element.setAttribute(name, value);
      Object.assign(element, props);
      const record = window as unknown as { states: unknown[]; feedback: unknown[]; lastInputAt: number; endedAt: number };
      record.states = [];
      record.feedback = [];
      element.addEventListener('input', () => (record.lastInputAt = performance.now()));
      element.addEventListener('anam-persona-state', (event) => {
        const { detail } = event as CustomEvent<{ state: string }>;
        record.states.push(detail);
        if (detail.state === 'ended') record.endedAt = performance.now();
      });
      element.addEventListener('anam-persona-feedback', (event) => record.feedback.push((event as CustomEvent).detail));
    },
    attributes,
    properties,
  );
}

const lastState = (page: Page) =>
  page.evaluate(() => (window as unknown as { states: Array<{ state: string; reason?: string }> }).states.at(-1));

const shadowHas = (page: Page, selector: string) =>
  page.evaluate((sel) => Boolean(document.querySelector('anam-persona')!.shadowRoot!.querySelector(sel)), selector);

describe('<anam-persona> site owner options end to end: consent, idle-timeout, max-duration, feedback', () => {
  let harness: Harness;
  before(async () => {
    harness = await startHarness();
  });
  after(() => harness.close());

  it('with consent, sends no token request and asks for no microphone before Accept', async () => {
    const { page, problems } = await openPage(harness.browser, `${harness.site.url}/one.html`);
    await configure(page, { consent: '', 'consent-key': 'e2e' });
    const tokenRequests: string[] = [];
    page.on('request', (request) => {
      // The POST itself (a cross-origin page also sends a CORS preflight first).
      if (request.url().includes('/api/session-token') && request.method() === 'POST') tokenRequests.push(request.url());
    });
    await page.evaluate(() => {
      const devices = navigator.mediaDevices;
      const original = devices.getUserMedia.bind(devices);
      (window as unknown as { micAsks: number }).micAsks = 0;
      devices.getUserMedia = (constraints) => {
        (window as unknown as { micAsks: number }).micAsks++;
        return original(constraints);
      };
    });
    await clickButton(page, 'anam-persona', 'Start conversation');
    await page.waitForFunction(() => document.querySelector('anam-persona')!.shadowRoot!.querySelector('[part~="consent"]'));
    assert.deepEqual(tokenRequests, []);
    assert.equal(await page.evaluate(() => (window as unknown as { micAsks: number }).micAsks), 0);
    assert.equal(harness.server.app.localEngine!.inspect().sessions.length, 0);

    await clickButton(page, 'anam-persona', 'Accept and start');
    await waitForState(page, 'anam-persona', 'live');
    assert.equal(tokenRequests.length, 1);
    assert.ok((await page.evaluate(() => (window as unknown as { micAsks: number }).micAsks)) >= 1);
    assert.ok(await page.evaluate(() => localStorage.getItem('anam-persona:consent:e2e')));
    assert.deepEqual(problems, []);
    await page.close();
  });

  it('ends an untouched live session after idle-timeout, asking first', async () => {
    const { page } = await openPage(harness.browser, `${harness.site.url}/one.html`);
    // Muted: the fake microphone's beeps are speech to the engine, and a visitor speaking is not idle.
    await configure(page, { 'idle-timeout': '1', 'start-muted': '' }, { idleGraceMs: 1000 });
    await clickButton(page, 'anam-persona', 'Start conversation');
    await waitForState(page, 'anam-persona', 'live');
    const sessionId = await page.evaluate(
      () => (document.querySelector('anam-persona') as unknown as { sessionId: string }).sessionId,
    );
    await page.waitForFunction(() => document.querySelector('anam-persona')!.shadowRoot!.querySelector('[part~="idle-prompt"]'), {
      timeout: 15_000,
    });
    await waitForState(page, 'anam-persona', 'ended');
    assert.deepEqual(await lastState(page), { state: 'ended', reason: 'idle-timeout' });
    await waitUntil(
      'the engine to free the session',
      () => !harness.server.app.localEngine!.inspect().sessions.some((session) => session.id === sessionId),
    );
    assert.match(
      await page.evaluate(() => document.querySelector('anam-persona')!.shadowRoot!.querySelector('.overlay')!.textContent ?? ''),
      /nobody was there/,
    );
    await page.close();
  });

  it('keeps a session alive while the visitor types, and ends it once they stop', async () => {
    const { page } = await openPage(harness.browser, `${harness.site.url}/one.html`);
    await configure(page, { 'idle-timeout': '2', 'start-muted': '' }, { idleGraceMs: 1000 });
    await clickButton(page, 'anam-persona', 'Start conversation');
    await waitForState(page, 'anam-persona', 'live');
    await (await page.waitForSelector('anam-persona >>> input'))!.focus();
    // A visitor slowly typing a long question: a key every 600 ms for longer than idle-timeout + grace.
    const typingStarted = Date.now();
    for (const key of 'Do you ship?') {
      await page.keyboard.type(key, { delay: 600 });
      assert.equal(await shadowHas(page, '[part~="idle-prompt"]'), false, 'asked while the visitor was typing');
    }
    assert.ok(Date.now() - typingStarted > 3000);
    assert.equal(
      await page.evaluate(() => (document.querySelector('anam-persona') as unknown as { state: string }).state),
      'live',
    );
    await waitForState(page, 'anam-persona', 'ended');
    // Measured in the page: the last keystroke to the end is idle-timeout plus the prompt's grace.
    const quietMs = await page.evaluate(() => {
      const record = window as unknown as { lastInputAt: number; endedAt: number };
      return record.endedAt - record.lastInputAt;
    });
    assert.ok(quietMs >= 3000, `ended ${quietMs} ms after the last key, sooner than idle-timeout + grace`);
    assert.deepEqual(await lastState(page), { state: 'ended', reason: 'idle-timeout' });
    await page.close();
  });

  it('asks for feedback when the conversation ends and fires its event', async () => {
    const { page } = await openPage(harness.browser, `${harness.site.url}/one.html`);
    await configure(page, { feedback: '' });
    await clickButton(page, 'anam-persona', 'Start conversation');
    await waitForState(page, 'anam-persona', 'live');
    const sessionId = await page.evaluate(
      () => (document.querySelector('anam-persona') as unknown as { sessionId: string }).sessionId,
    );
    await clickButton(page, 'anam-persona', 'End conversation');
    await waitForState(page, 'anam-persona', 'ended');
    await clickButton(page, 'anam-persona', 'Yes, it was helpful');
    await (await page.waitForSelector('anam-persona >>> textarea'))!.focus();
    await page.keyboard.type('Quick and clear.');
    await clickButton(page, 'anam-persona', 'Send feedback');
    await page.waitForFunction(() => (window as unknown as { feedback: unknown[] }).feedback.length > 0);
    assert.deepEqual(await page.evaluate(() => (window as unknown as { feedback: unknown[] }).feedback), [
      { sessionId, rating: 'up', comment: 'Quick and clear.' },
    ]);
    await clickButton(page, 'anam-persona', 'Start again');
    await waitForState(page, 'anam-persona', 'live');
    await page.close();
  });

  it('ends a session at max-duration, with a notice before', async () => {
    const { page } = await openPage(harness.browser, `${harness.site.url}/one.html`);
    await configure(page, { 'max-duration': '3', 'idle-timeout': '0' });
    await clickButton(page, 'anam-persona', 'Start conversation');
    await waitForState(page, 'anam-persona', 'live');
    await page.waitForFunction(() => document.querySelector('anam-persona')!.shadowRoot!.querySelector('[part="time-notice"]'));
    assert.equal(
      await page.evaluate(() => (document.querySelector('anam-persona') as unknown as { state: string }).state),
      'live',
    );
    await waitForState(page, 'anam-persona', 'ended');
    assert.deepEqual(await lastState(page), { state: 'ended', reason: 'max-duration' });
    await page.close();
  });
});
