import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { Page } from 'puppeteer-core';
import { LOCAL_PERSONA_ID } from '../../server/local-engine/catalog.ts';
import { resolveLabels } from '../../widget/labels.ts';
import { sampleWranglerSettings, startWorker, type RunningWorker } from '../server/worker-runtime.ts';
import {
  alertText,
  clickButtonWithMouse,
  openPage,
  startHarness,
  transcriptText,
  typeMessage,
  videoPlays,
  waitForState,
  waitUntil,
  type Harness,
} from './harness.ts';
import { startSite } from './site.ts';
import { E2E_ENGINE } from './test-browser.ts';

/** The token requests the page made, as the browser saw them (the preflight aside). */
function recordTokenRequests(page: Page): string[] {
  const seen: string[] = [];
  page.on('response', (response) => {
    const request = response.request();
    if (request.method() === 'POST' && new URL(request.url()).pathname === '/api/session-token') {
      seen.push(`${new URL(request.url()).origin} ${response.status()}`);
    }
  });
  return seen;
}

describe(`<anam-persona> with its token from the Cloudflare Worker (README recipe) in workerd, three origins: ${E2E_ENGINE}`, () => {
  let harness: Harness;
  let worker: RunningWorker;

  before(async () => {
    harness = await startHarness();
    // The key the engine takes (outside production the development key the README names; one made per process in production).
    const engineKey = harness.server.app.localEngine!.options.apiKeys[0]!;
    worker = await startWorker({
      secrets: { ANAM_API_KEY: engineKey },
      vars: {
        ANAM_API_BASE: `${harness.server.url}/local-engine`,
        ANAM_PERSONA_ID: LOCAL_PERSONA_ID,
        ALLOWED_ORIGINS: harness.site.url,
      },
      rateLimiter: sampleWranglerSettings().rateLimit,
    });
    harness.site.tokenServer = worker.url;
  });
  after(async () => {
    await worker?.close();
    await harness?.close();
  });

  it('goes live on the site after a click on Start: video frames advance and a typed message is answered', async () => {
    const { page, problems } = await openPage(harness.browser, `${harness.site.url}/worker.html`);
    const tokenRequests = recordTokenRequests(page);
    await clickButtonWithMouse(page, 'anam-persona', 'Start conversation');
    await waitForState(page, 'anam-persona', 'live');
    await waitUntil('video frames', () => videoPlays(page, 'anam-persona'));
    await typeMessage(page, 'Where is my order?');
    await waitUntil('the reply', async () =>
      (await transcriptText(page, 'anam-persona')).includes('You said: "Where is my order?"'),
    );
    assert.deepEqual(tokenRequests, [`${worker.url} 200`], 'one token, from the Worker');
    assert.deepEqual(problems, []);
    await page.close();
  });

  it("tells a visitor on a site missing from the Worker's ALLOWED_ORIGINS, in their language, and the Worker's log names the fix", async () => {
    const forgotten = await startSite(harness.server.url, worker.url);
    try {
      const { page } = await openPage(harness.browser, `${forgotten.url}/worker-fr.html`);
      const tokenRequests = recordTokenRequests(page);
      const consoleLines: string[] = [];
      page.on('console', (message) => consoleLines.push(message.text()));
      await clickButtonWithMouse(page, 'anam-persona', resolveLabels('fr', undefined).start);
      await waitForState(page, 'anam-persona', 'error');
      assert.ok((await alertText(page, 'anam-persona')).includes(resolveLabels('fr', undefined).errorNotAllowed));
      assert.deepEqual(tokenRequests, [`${worker.url} 403`]);
      await waitUntil('a console line for the site owner', () =>
        consoleLines.some((line) => line.includes(`add ${forgotten.url} to the server's ALLOWED_ORIGINS`)),
      );
      await waitUntil("the Worker's warning", () => worker.logs.text.includes(`add ${forgotten.url} to ALLOWED_ORIGINS`));
      await page.close();
    } finally {
      await forgotten.close();
    }
  });
});
