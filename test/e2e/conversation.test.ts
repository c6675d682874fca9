import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { Page } from 'puppeteer-core';
import { setFaults } from '../server/helpers.ts';
import { clickButton, openPage, startHarness, transcriptText, typeMessage, waitForState, waitUntil } from './harness.ts';

type Harness = Awaited<ReturnType<typeof startHarness>>;

/** The widget's public face, as the page sees it (the tag's types are not loaded in Node). */
interface Widget extends HTMLElement {
  registerTool(name: string, handler: (args: Record<string, unknown>) => unknown): () => void;
  context: string;
  startMuted: boolean;
  readonly sessionId: string | undefined;
  readonly muted: boolean;
}

interface PageRecord {
  toolCalls: unknown[];
  activity: string[];
  states: string[];
}

/** The page's own view of the widget: what its tool handler got, and the events it heard. */
async function recordOnPage(page: Page): Promise<void> {
  await page.evaluate(() => {
    const widget = document.querySelector('anam-persona') as Widget;
    const record: PageRecord = { toolCalls: [], activity: [], states: [] };
    (window as unknown as { record: PageRecord }).record = record;
    widget.addEventListener('anam-persona-activity', (event) => record.activity.push((event as CustomEvent).detail.activity));
    widget.addEventListener('anam-persona-state', (event) => record.states.push((event as CustomEvent).detail.state));
    widget.registerTool('show_bike', (args) => {
      record.toolCalls.push(args);
      return `Showing the ${String(args['model'])} card.`;
    });
    widget.context = 'Visitor is reading: the Cargo Duo section.';
    widget.startMuted = true; // the fake microphone's noise must not count as the visitor speaking
  });
}

function pageRecord(page: Page): Promise<PageRecord> {
  return page.evaluate(() => (window as unknown as { record: PageRecord }).record);
}

describe('<anam-persona> end to end: client tools, page context, activity, reconnect', () => {
  let harness: Harness;
  let engineBase: string;
  const sessions = () => harness.server.app.localEngine!.inspect().sessions;

  before(async () => {
    harness = await startHarness();
    engineBase = `${harness.server.url}/local-engine`;
  });
  after(() => harness.close());

  async function startLive(): Promise<Page> {
    const { page } = await openPage(harness.browser, `${harness.site.url}/one.html`);
    await recordOnPage(page);
    await clickButton(page, 'anam-persona', 'Start conversation');
    await waitForState(page, 'anam-persona', 'live');
    return page;
  }

  it("calls the page's tool with the message's arguments and speaks its result; quotes the context; shows thinking → speaking → listening", async (t) => {
    const startedAt = Date.now();
    const page = await startLive();
    t.diagnostic(`live after ${Date.now() - startedAt} ms`);
    await waitUntil('the greeting to end', async () => {
      const { activity } = await pageRecord(page);
      return activity.includes('speaking') && activity.at(-1) === 'listening';
    });
    await page.evaluate(() => ((window as unknown as { record: PageRecord }).record.activity = []));

    await typeMessage(page, 'Please show bike model=cargo-duo');
    await waitUntil('the spoken tool result', async () =>
      (await transcriptText(page, 'anam-persona')).includes('Showing the cargo-duo card.'),
    );
    t.diagnostic(`tool result spoken after ${Date.now() - startedAt} ms`);
    assert.deepEqual((await pageRecord(page)).toolCalls, [{ model: 'cargo-duo' }]);
    await waitUntil('the reply to end', async () => (await pageRecord(page)).activity.at(-1) === 'listening');
    assert.deepEqual((await pageRecord(page)).activity, ['thinking', 'speaking', 'listening']);

    await typeMessage(page, 'What context do you have?');
    await waitUntil('the context quoted back', async () =>
      (await transcriptText(page, 'anam-persona')).includes('"Visitor is reading: the Cargo Duo section."'),
    );
    await page.close();
  });

  it('reconnects to a new session after the network drops, keeping the transcript, mute and context', async (t) => {
    const page = await startLive();
    await typeMessage(page, 'Is the Cargo Duo electric?');
    await waitUntil('the whole reply', async () =>
      (await transcriptText(page, 'anam-persona')).includes('I can only repeat what I hear.'),
    );
    const firstId = await page.evaluate(() => (document.querySelector('anam-persona') as Widget).sessionId);

    const droppedAt = Date.now();
    const dropped = await fetch(`${engineBase}/__test/drop`, { method: 'POST' });
    assert.ok(((await dropped.json()) as { dropped: number }).dropped >= 1, 'the live session was dropped');
    await waitForState(page, 'anam-persona', 'reconnecting', 20_000);
    await waitForState(page, 'anam-persona', 'live', 20_000);
    t.diagnostic(`reconnect: drop → live in ${Date.now() - droppedAt} ms`);

    const secondId = await page.evaluate(() => (document.querySelector('anam-persona') as Widget).sessionId);
    assert.ok(secondId && secondId !== firstId, 'a new session');
    assert.match(await transcriptText(page, 'anam-persona'), /You said: "Is the Cargo Duo electric\?"/);
    assert.equal(await page.evaluate(() => (document.querySelector('anam-persona') as Widget).muted), true);
    const restored = await waitUntil('the context restored at the engine', () => {
      const session = sessions().find((candidate) => candidate.id === secondId);
      const contexts = (session?.messagesReceived ?? []).filter((message) => message['message_type'] === 'context');
      return contexts.length >= 2 ? contexts.map((message) => String(message['content'])) : undefined;
    });
    assert.ok(restored);
    assert.match(restored[0] ?? '', /conversation so far:[\s\S]*Visitor: Is the Cargo Duo electric\?/);
    assert.equal(restored[1], 'Visitor is reading: the Cargo Duo section.');
    assert.deepEqual((await pageRecord(page)).states.slice(-2), ['reconnecting', 'live']);
    await page.close();
  });

  it('gives a reconnect attempt whose media never connects up for a fresh one, and goes live', async (t) => {
    const page = await startLive();
    const firstId = await page.evaluate(() => (document.querySelector('anam-persona') as Widget).sessionId);
    await setFaults(engineBase, { stallSessions: 1 });
    const droppedAt = Date.now();
    await fetch(`${engineBase}/__test/drop`, { method: 'POST' });
    await waitForState(page, 'anam-persona', 'reconnecting', 20_000);
    await waitUntil('the stalled session at the engine', () => sessions().some((session) => session.id !== firstId));
    const stalledId = sessions().find((session) => session.id !== firstId)!.id;
    await waitForState(page, 'anam-persona', 'live', 20_000);
    t.diagnostic(`stalled reconnect: drop → live in ${Date.now() - droppedAt} ms`);
    const liveId = await page.evaluate(() => (document.querySelector('anam-persona') as Widget).sessionId);
    assert.ok(liveId && liveId !== firstId && liveId !== stalledId, 'live on a third session');
    assert.deepEqual((await pageRecord(page)).states.slice(-2), ['reconnecting', 'live']);
    await waitUntil('the stalled session freed at the engine', () => !sessions().some((session) => session.id === stalledId));
    await typeMessage(page, 'Still there?');
    await waitUntil('the answer on the new session', async () =>
      (await transcriptText(page, 'anam-persona')).includes('You said: "Still there?"'),
    );
    await page.close();
  });

  it('gives Start again whose media never connects up for a fresh one, still connecting, and goes live', async (t) => {
    const page = await startLive();
    const firstId = await page.evaluate(() => (document.querySelector('anam-persona') as Widget).sessionId);
    await clickButton(page, 'anam-persona', 'End conversation');
    await waitForState(page, 'anam-persona', 'ended');
    await setFaults(engineBase, { stallSessions: 1 });
    const startedAt = Date.now();
    await clickButton(page, 'anam-persona', 'Start again');
    await waitUntil('the stalled session at the engine', () => sessions().some((session) => session.id !== firstId));
    const stalledId = sessions().find((session) => session.id !== firstId)!.id;
    await waitForState(page, 'anam-persona', 'live', 20_000);
    t.diagnostic(`stalled start: Start again → live in ${Date.now() - startedAt} ms`);
    const liveId = await page.evaluate(() => (document.querySelector('anam-persona') as Widget).sessionId);
    assert.ok(liveId && liveId !== firstId && liveId !== stalledId, 'live on a third session');
    assert.deepEqual((await pageRecord(page)).states.slice(-4), ['ended', 'requesting-token', 'connecting', 'live']);
    await waitUntil('the stalled session freed at the engine', () => !sessions().some((session) => session.id === stalledId));
    await typeMessage(page, 'Still there?');
    await waitUntil('the answer on the new session', async () =>
      (await transcriptText(page, 'anam-persona')).includes('You said: "Still there?"'),
    );
    await page.close();
  });
});
