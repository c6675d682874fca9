import { expect, fixture, html } from '@open-wc/testing';
import type { AnamPersona } from '../../widget/anam-persona.ts';
import { LOCALES, type Labels } from '../../widget/labels.ts';
import { fakeClientFactory, FAKE_TOKEN, stubTokenEndpoint } from '../browser-helpers/fake-client.ts';
import { untilState } from '../browser-helpers/widget.ts';

const english = LOCALES['en']!;
const placeholders = (text: string) => [...text.matchAll(/\{(\w+)\}/g)].map((match) => match[1]).sort();

/** Matches `text` as whole words ("Send" is not in "Senden"). */
const asWholeWords = (text: string) => new RegExp(`(?<!\\p{L})${text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}(?!\\p{L})`, 'u');

/** Everything a visitor can read or hear from the widget: text, labels, placeholders. */
function visibleWords(element: AnamPersona): string {
  const root = element.shadowRoot!;
  const attributes = [...root.querySelectorAll('[aria-label], [placeholder], [title]')].flatMap((node) =>
    ['aria-label', 'placeholder', 'title'].map((name) => node.getAttribute(name) ?? ''),
  );
  return [root.textContent ?? '', ...attributes].join(' | ');
}

describe('labels', () => {
  for (const [language, labels] of Object.entries(LOCALES)) {
    it(`${language} has every key English has, with the same placeholders`, () => {
      for (const key of Object.keys(english) as Array<keyof Labels>) {
        expect(Object.hasOwn(labels, key), `${language} lacks "${key}"`).to.be.true;
        expect(typeof labels[key], `${language}.${key}`).to.equal('string');
        if (english[key] !== '') expect(labels[key], `${language}.${key} is empty`).not.to.equal('');
        expect(placeholders(labels[key]), `${language}.${key} placeholders`).to.deep.equal(placeholders(english[key]));
      }
    });
  }

  for (const language of Object.keys(LOCALES).filter((name) => name !== 'en')) {
    it(`a visitor reading ${language} sees no English when idle, live and in error`, async () => {
      const labels = LOCALES[language]!;
      // English strings this language words differently: none of them may reach the visitor.
      const untranslated = (words: string) =>
        (Object.keys(english) as Array<keyof Labels>).filter(
          (key) => english[key].length > 3 && english[key] !== labels[key] && asWholeWords(english[key]).test(words),
        );
      const endpoint = stubTokenEndpoint({ body: { sessionToken: FAKE_TOKEN } }, 'network-error');
      try {
        const element = await fixture<AnamPersona>(
          html`<anam-persona data-token-endpoint="/t" lang=${language} transcript></anam-persona>`,
        );
        element.clientFactory = fakeClientFactory().factory;
        expect(untranslated(visibleWords(element)), 'idle').to.deep.equal([]);
        await element.start();
        await untilState(element, 'live');
        element.send('Bonjour');
        await element.updateComplete;
        expect(visibleWords(element)).to.contain(labels.live);
        expect(untranslated(visibleWords(element)), 'live').to.deep.equal([]);
        await element.stop();
        await element.start();
        await untilState(element, 'error');
        expect(visibleWords(element)).to.contain(labels.errorTokenEndpointUnreachable);
        expect(untranslated(visibleWords(element)), 'error').to.deep.equal([]);
      } finally {
        endpoint.restore();
      }
    });
  }
});
