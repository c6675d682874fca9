import { fixture, html } from '@open-wc/testing';
import { sendKeys } from '@web/test-runner-commands';
import '../../widget/index.ts';
import type { AnamPersona } from '../../widget/anam-persona.ts';
import type { SessionState } from '../../widget/persona-session.ts';
import { fakeClientFactory, type FakeClient } from './fake-client.ts';
import { waitFor } from './test-server.ts';

/** Records every event of a type an element fires, for assertions on order and detail. */
export function expectEvent<T = unknown>(element: EventTarget, type: string) {
  const details: T[] = [];
  element.addEventListener(type, (event) => details.push((event as CustomEvent<T>).detail));
  return {
    details,
    next: (predicate: (detail: T) => boolean = () => true) => waitFor(`${type} event`, () => details.find(predicate), 5000),
  };
}

/** An <anam-persona> whose SDK client is the fake one (the boundary), with the given markup. */
export async function widgetFixture(
  template = html`<anam-persona data-token-endpoint="/api/session-token" transcript></anam-persona>`,
  configure?: (client: FakeClient) => void,
) {
  const element = await fixture<AnamPersona>(template);
  const fake = fakeClientFactory(configure);
  element.clientFactory = fake.factory;
  return { element, clients: fake.clients };
}

export function shadow(element: AnamPersona): ShadowRoot {
  return element.shadowRoot!;
}

/** The button whose text or aria-label contains `label`. */
export function button(element: AnamPersona, label: string): HTMLButtonElement | undefined {
  return [...shadow(element).querySelectorAll('button')].find((candidate) =>
    `${candidate.textContent ?? ''} ${candidate.getAttribute('aria-label') ?? ''}`.includes(label),
  );
}

export async function untilState(element: AnamPersona, state: SessionState): Promise<void> {
  await waitFor(`state ${state}`, () => element.state === state, 5000);
  await element.updateComplete;
}

/**
 * Types text as real key presses, one character a command: WebKitWebDriver drops a key that comes again in
 * the same typed string (the second space of "a b c", the second l of "Hello") — a driver quirk, not the
 * page: a visitor's keyboard types them all.
 */
export async function typeKeys(text: string): Promise<void> {
  for (const character of text) await sendKeys(character === ' ' ? { press: ' ' } : { type: character });
}
