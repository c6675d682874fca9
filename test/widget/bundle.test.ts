import { expect } from '@open-wc/testing';
import { addScript, freshPage } from '../browser-helpers/fresh-page.ts';

const BUNDLE = '/dist/anam-persona.js';
const EMBED = '<anam-persona data-token-endpoint="/api/session-token"></anam-persona>';

/** Globals of a page that has not loaded the bundle. */
async function baselineGlobals(): Promise<Set<string>> {
  const page = await freshPage('');
  const names = new Set(Object.getOwnPropertyNames(page.window));
  page.remove();
  return names;
}

describe('dist/anam-persona.js, embedded as a site owner would', () => {
  it('defines <anam-persona> from a plain script tag and renders its shadow root', async () => {
    const page = await freshPage(EMBED);
    await addScript(page.window, { src: BUNDLE });
    const element = page.window.document.querySelector('anam-persona')!;
    expect(page.window.customElements.get('anam-persona')).to.be.a('function');
    await (element as unknown as { updateComplete: Promise<unknown> }).updateComplete;
    expect(element.shadowRoot, 'shadow root').to.exist;
    const start = element.shadowRoot!.querySelector('button');
    expect(start?.textContent).to.contain('Start conversation');
    expect(element.shadowRoot!.querySelector('video, audio'), 'no media element until a session starts').to.be.null;
    expect(page.errors).to.deep.equal([]);
    page.remove();
  });

  it('loads twice on one page without throwing', async () => {
    const page = await freshPage(EMBED);
    await addScript(page.window, { src: BUNDLE });
    await addScript(page.window, { src: `${BUNDLE}?again` });
    expect(page.errors).to.deep.equal([]);
    expect(page.window.document.querySelector('anam-persona')!.shadowRoot).to.exist;
    page.remove();
  });

  it('works as a module script with defer and async', async () => {
    const variants: Array<Record<string, string>> = [{ type: 'module' }, { defer: '' }, { async: '' }];
    for (const attributes of variants) {
      const page = await freshPage(EMBED);
      await addScript(page.window, { src: BUNDLE, ...attributes });
      expect(page.window.customElements.get('anam-persona'), JSON.stringify(attributes)).to.be.a('function');
      expect(page.errors).to.deep.equal([]);
      page.remove();
    }
  });

  it('ignores an AMD loader on the page (many CMS pages carry one)', async () => {
    const page = await freshPage(EMBED);
    let amdCalls = 0;
    const define = Object.assign(() => amdCalls++, { amd: {} });
    (page.window as unknown as { define: unknown }).define = define;
    await addScript(page.window, { src: BUNDLE });
    expect(amdCalls).to.equal(0);
    expect(page.window.customElements.get('anam-persona')).to.be.a('function');
    page.remove();
  });

  it('adds no globals to the page', async () => {
    const before = await baselineGlobals();
    const page = await freshPage(EMBED);
    await addScript(page.window, { src: BUNDLE });
    const added = Object.getOwnPropertyNames(page.window).filter((name) => !before.has(name));
    // Only Lit's own bookkeeping (its versions, so copies can warn about each other), as the README says.
    const litGlobals = ['litElementVersions', 'litHtmlVersions', 'reactiveElementVersions', 'litPropertyMetadata'];
    expect(added.filter((name) => !litGlobals.includes(name))).to.deep.equal([]);
    page.remove();
  });
});
