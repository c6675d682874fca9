import assert from 'node:assert/strict';
import { after, before, beforeEach, describe, it } from 'node:test';
import type { Page } from 'puppeteer-core';
import { resolveLabels } from '../../widget/labels.ts';
import { setFaults } from '../server/helpers.ts';
import {
  alertText,
  clickButton,
  clickButtonWithMouse,
  openPage,
  startHarness,
  transcriptText,
  videoPlays,
  waitForState,
  waitUntil,
  type Harness,
} from './harness.ts';
import { startSite } from './site.ts';
import { E2E_ENGINE } from './test-browser.ts';

describe(`<anam-persona> embedded on another origin with the README snippet: built bundle, real server, local engine, real SDK, ${E2E_ENGINE}`, () => {
  let harness: Harness;
  let engineBase: string;
  const sessions = () => harness.server.app.localEngine!.inspect().sessions;

  before(async () => {
    harness = await startHarness();
    engineBase = `${harness.server.url}/local-engine`;
  });
  after(() => harness.close());
  beforeEach(() => setFaults(engineBase, {}));

  async function startLive(path = '/one.html', selector = 'anam-persona'): Promise<{ page: Page; problems: string[] }> {
    const opened = await openPage(harness.browser, `${harness.site.url}${path}`);
    await clickButton(opened.page, selector, 'Start conversation');
    await waitForState(opened.page, selector, 'live');
    return opened;
  }

  /**
   * Records the microphone tracks the page is given, before it loads. With `promptOpen`, each request waits
   * as an unanswered browser prompt would, until `allow()`.
   */
  async function watchMicrophones(page: Page, { promptOpen }: { promptOpen: boolean }) {
    await page.evaluateOnNewDocument(`{
      const media = navigator.mediaDevices;
      const ask = media.getUserMedia.bind(media);
      window.microphoneTracks = [];
      const answered = ${promptOpen} ? new Promise((resolve) => (window.allowMicrophone = resolve)) : Promise.resolve();
      media.getUserMedia = (constraints) =>
        answered.then(() => ask(constraints)).then((stream) => (window.microphoneTracks.push(...stream.getTracks()), stream));
    }`);
    return {
      allow: () => page.evaluate('window.allowMicrophone()'),
      trackStates: () => page.evaluate('window.microphoneTracks.map((track) => track.readyState)') as Promise<string[]>,
    };
  }

  /**
   * Sets the engine's faults, opens the site's page with its microphones watched and clicks Start. `ours()` lists
   * the engine's sessions started since (an earlier test's may still be ending).
   */
  async function startWatched(faults: Record<string, number>, { promptOpen = false } = {}) {
    await setFaults(engineBase, faults);
    const earlier = new Set(sessions().map((session) => session.id));
    const page = await harness.browser.newPage();
    const microphones = await watchMicrophones(page, { promptOpen });
    await page.goto(`${harness.site.url}/one.html`);
    await clickButton(page, 'anam-persona', 'Start conversation');
    return { page, microphones, ours: () => sessions().filter((session) => !earlier.has(session.id)) };
  }

  it("plays the persona in the shadow video after a click on Start, greeting in the transcript, under the site's strict CSP", async () => {
    const { page, problems } = await startLive();
    assert.notEqual(new URL(page.url()).origin, harness.server.url, 'the page is on the site, not on the persona server');
    await waitUntil('video frames', () => videoPlays(page, 'anam-persona'));
    await waitUntil('the greeting', async () => (await transcriptText(page, 'anam-persona')).includes("Hi, I'm Cara"));
    assert.deepEqual(problems, []);
    await page.close();
  });

  it('answers what the visitor types, and speaks what talk() says', async () => {
    const { page } = await startLive();
    await page.evaluate(() => {
      const input = document.querySelector('anam-persona')!.shadowRoot!.querySelector('input')!;
      input.value = 'What do you sell?';
      input.form!.requestSubmit();
    });
    await waitUntil('the reply', async () =>
      (await transcriptText(page, 'anam-persona')).includes('You said: "What do you sell?"'),
    );
    assert.match(await transcriptText(page, 'anam-persona'), /You: What do you sell\?/);
    await page.evaluate(() =>
      (document.querySelector('anam-persona') as unknown as { talk(text: string): Promise<void> }).talk(
        'Our spring sale ends Friday.',
      ),
    );
    await waitUntil('the engine to say it', () =>
      sessions().some((session) => session.spoken.includes('Our spring sale ends Friday.')),
    );
    await waitUntil('the caption', async () =>
      (await transcriptText(page, 'anam-persona')).includes('Our spring sale ends Friday.'),
    );
    await page.close();
  });

  it('silences the microphone at the engine when muted, and restores it when unmuted', async () => {
    const { page } = await startLive();
    const sessionId = await page.evaluate(
      () => (document.querySelector('anam-persona') as unknown as { sessionId: string }).sessionId,
    );
    const micLevel = () => sessions().find((session) => session.id === sessionId)?.micLevel ?? -1;
    await waitUntil('mic audio at the engine', () => micLevel() > 0);
    await clickButton(page, 'anam-persona', 'Mute microphone');
    await waitUntil('silence at the engine', () => micLevel() === 0);
    assert.equal(
      await page.evaluate(() =>
        document.querySelector('anam-persona')!.shadowRoot!.querySelector('[aria-pressed]')!.getAttribute('aria-pressed'),
      ),
      'true',
    );
    await clickButton(page, 'anam-persona', 'Unmute microphone');
    await waitUntil('mic audio again', () => micLevel() > 0);
    await page.close();
  });

  it('frees the engine session on Stop, and when the element is removed mid-session', async () => {
    const { page } = await startLive();
    const idOf = () =>
      page.evaluate(() => (document.querySelector('anam-persona') as unknown as { sessionId: string }).sessionId);
    const first = await idOf();
    await clickButton(page, 'anam-persona', 'End conversation');
    await waitForState(page, 'anam-persona', 'ended');
    await waitUntil('the engine to free the stopped session', () => !sessions().some((session) => session.id === first));

    await clickButton(page, 'anam-persona', 'Start again');
    await waitForState(page, 'anam-persona', 'live');
    const second = await idOf();
    assert.notEqual(second, first);
    await page.evaluate(() => document.querySelector('anam-persona')!.remove());
    await waitUntil('the engine to free the removed session', () => !sessions().some((session) => session.id === second));
    await page.close();
  });

  it('stops a microphone the visitor allows only after ending the conversation: the tab does not keep recording', async () => {
    // The browser's microphone prompt, still open when the visitor ends the conversation: answered later.
    const { page, microphones } = await startWatched({}, { promptOpen: true });
    // Live while the prompt is open: the visitor can type.
    await waitForState(page, 'anam-persona', 'live');
    await clickButton(page, 'anam-persona', 'End conversation');
    await waitForState(page, 'anam-persona', 'ended');
    await microphones.allow();
    await waitUntil('the allowed microphone', async () => (await microphones.trackStates()).length > 0);
    await waitUntil('the microphone allowed after the end to stop', async () =>
      (await microphones.trackStates()).every((state) => state === 'ended'),
    );
    await page.close();
  });

  it('leaves no connected session and no microphone open when the page removes the widget while the session is still being set up', async () => {
    const started = harness.server.app.localEngine!.inspect().sessionsStarted;
    const { page, microphones, ours } = await startWatched({ sessionDelayMs: 800 });
    await waitForState(page, 'anam-persona', 'connecting');
    // The SDK is waiting for the engine to start the session (800 ms): a single-page site navigates away.
    await new Promise((resolve) => setTimeout(resolve, 200));
    await page.evaluate(() => document.querySelector('anam-persona')!.remove());
    await waitUntil(
      'the engine to start the session the SDK still asked for',
      () => harness.server.app.localEngine!.inspect().sessionsStarted > started,
    );
    // The widget stops the SDK's client the moment it has the session: Chromium's socket never connects (the engine
    // lets the session go after its socket wait); Firefox's may, and closes, and the engine ends it after its
    // reconnect grace. Either way no media ever flows and nothing stays connected.
    const states = new Set<string>();
    const connected = () => ours().filter((session) => session.state !== 'awaiting-socket');
    const watchedFrom = Date.now();
    while (Date.now() - watchedFrom < 1000 || connected().length > 0) {
      for (const session of ours()) states.add(session.state);
      assert.ok(Date.now() - watchedFrom < 10_000, 'a connected session is still there after 10 s');
      await new Promise((resolve) => setTimeout(resolve, 25));
    }
    assert.ok(!states.has('live'), 'no session went live');
    // The SDK may have asked for the microphone in the moment before the widget stopped it again: then it is stopped.
    await waitUntil('no microphone left open', async () => (await microphones.trackStates()).every((state) => state === 'ended'));
    await page.close();
  });

  it('lets a visitor cancel a start that waits on the connection: back to Start, the session ended, the microphone off, and Start works again', async () => {
    // The media of the next session never connects: the visitor waits on "Connecting…" and gives up.
    const { page, microphones, ours } = await startWatched({ stallSessions: 1 });
    await waitUntil('the session to reach the engine', () => ours().some((session) => session.state === 'negotiating'));
    await waitUntil('the microphone to be on', async () => (await microphones.trackStates()).includes('live'));
    await clickButtonWithMouse(page, 'anam-persona', 'Cancel');
    await waitUntil('the engine to end the session', () => ours().length === 0);
    await waitUntil('no microphone left open', async () => (await microphones.trackStates()).every((state) => state === 'ended'));
    assert.equal(
      await page.evaluate(() => (document.querySelector('anam-persona') as unknown as { state: string }).state),
      'idle',
    );
    await setFaults(engineBase, {});
    await clickButtonWithMouse(page, 'anam-persona', 'Start conversation');
    await waitUntil('the next start to play', () => videoPlays(page, 'anam-persona'));
    await page.close();
  });

  it('shows why the token endpoint failed, and Retry recovers', async () => {
    await setFaults(engineBase, { authStatus: 404 });
    const { page } = await openPage(harness.browser, `${harness.site.url}/one.html`);
    await clickButton(page, 'anam-persona', 'Start conversation');
    await waitForState(page, 'anam-persona', 'error');
    assert.match(await alertText(page, 'anam-persona'), /assistant is not available/);
    await setFaults(engineBase, {});
    await clickButton(page, 'anam-persona', 'Try again');
    await waitForState(page, 'anam-persona', 'live');
    await page.close();
  });

  it('tells the visitor when to retry after the service rate-limits', async () => {
    await setFaults(engineBase, { authStatus: 429 });
    const { page } = await openPage(harness.browser, `${harness.site.url}/one.html`);
    await clickButton(page, 'anam-persona', 'Start conversation');
    await waitForState(page, 'anam-persona', 'error', 30_000);
    assert.match(await alertText(page, 'anam-persona'), /try again in \d+ s/i);
    await page.close();
  });

  it('says the connection was lost when the engine drops the socket', async () => {
    await setFaults(engineBase, { dropSocketAfterMs: 1500 });
    const { page } = await startLive();
    await waitForState(page, 'anam-persona', 'error', 30_000);
    assert.match(await alertText(page, 'anam-persona'), /connection was lost/i);
    await page.close();
  });

  it('says the service ended the conversation when the engine ends it, and offers to start again', async () => {
    await setFaults(engineBase, { endSessionAfterSeconds: 1 });
    const { page } = await startLive();
    await waitForState(page, 'anam-persona', 'ended', 15_000);
    const text = await page.evaluate(
      () => document.querySelector('anam-persona')!.shadowRoot!.querySelector('.overlay')!.textContent,
    );
    assert.match(String(text), /ended by the service/);
    await setFaults(engineBase, {});
    await clickButton(page, 'anam-persona', 'Start again');
    await waitForState(page, 'anam-persona', 'live');
    await page.close();
  });

  it('runs two widgets on one page at once', async () => {
    const { page, problems } = await openPage(harness.browser, `${harness.site.url}/two.html`);
    await clickButton(page, '#first', 'Start conversation');
    await clickButton(page, '#second', 'Start conversation');
    await waitForState(page, '#first', 'live');
    await waitForState(page, '#second', 'live');
    await waitUntil('both videos', async () => (await videoPlays(page, '#first')) && (await videoPlays(page, '#second')));
    await waitUntil('the ephemeral persona greeting', async () =>
      (await transcriptText(page, '#second')).includes("Hi, I'm Guide"),
    );
    const ids = await page.evaluate(() =>
      [...document.querySelectorAll('anam-persona')].map((element) => (element as unknown as { sessionId: string }).sessionId),
    );
    assert.equal(new Set(ids).size, 2);
    assert.deepEqual(problems, []);
    await page.close();
  });
  it('loads as a type="module" script from the persona server, and plays', async () => {
    const { page, problems } = await startLive('/module.html');
    await waitUntil('video frames', () => videoPlays(page, 'anam-persona'));
    assert.deepEqual(problems, []);
    await page.close();
  });

  it("delivers a send() made in the page's anam-persona-ready handler: the reply shows in the transcript", async () => {
    const { page, problems } = await startLive('/ready.html');
    await waitUntil(
      'the reply to the message sent when ready',
      async () => (await transcriptText(page, 'anam-persona')).includes('You said: "Which bikes are on sale?"'),
      15_000,
    );
    assert.match(await transcriptText(page, 'anam-persona'), /You: Which bikes are on sale\?/);
    assert.deepEqual(problems, []);
    await page.close();
  });

  it('tells the visitor, in their language, when the site was left out of ALLOWED_ORIGINS, and mints no token', async () => {
    const forgotten = await startSite(harness.server.url);
    try {
      const minted = async () =>
        /^anam_tokens_minted_total (\d+)$/m.exec(await (await fetch(`${harness.server.url}/metrics`)).text())?.[1];
      const mintedBefore = await minted();
      const { page } = await openPage(harness.browser, `${forgotten.url}/fr.html`);
      await clickButton(page, 'anam-persona', resolveLabels('fr', undefined).start);
      await waitForState(page, 'anam-persona', 'error');
      const french = resolveLabels('fr', undefined).errorNotAllowed;
      assert.notEqual(french, resolveLabels('en', undefined).errorNotAllowed, 'fr has its own NOT_ALLOWED message');
      assert.ok((await alertText(page, 'anam-persona')).includes(french), 'the visitor reads the French NOT_ALLOWED message');
      assert.equal(await minted(), mintedBefore, 'no token for a site that is not allowed');
      await waitUntil('a warning naming the site and the setting', () =>
        harness.server.logs.lines.some(
          (line) => line.includes(forgotten.url) && line.includes('ALLOWED_ORIGINS') && /"level":40/.test(line),
        ),
      );
      await page.close();
    } finally {
      await forgotten.close();
    }
  });
});
