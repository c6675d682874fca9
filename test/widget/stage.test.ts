import { expect, html } from '@open-wc/testing';
import { stubTokenEndpoint } from '../browser-helpers/fake-client.ts';
import { shadow, untilState, widgetFixture } from '../browser-helpers/widget.ts';

/** A tiny picture, inline so the test fetches nothing. */
const FACE =
  'data:image/svg+xml,' +
  encodeURIComponent(
    '<svg xmlns="http://www.w3.org/2000/svg" width="4" height="4"><rect width="4" height="4" fill="#c96"/></svg>',
  );

describe('<anam-persona> stage: poster and AI disclosure', () => {
  let endpoint: ReturnType<typeof stubTokenEndpoint>;
  beforeEach(
    () => (endpoint = stubTokenEndpoint({ body: { sessionToken: 'eyJhbGciOiJIUzI1NiJ9.eyJ0eXBlIjoic3RhdGVmdWwifQ.c2ln' } })),
  );
  afterEach(() => endpoint.restore());

  const poster = (element: HTMLElement) => shadow(element as never).querySelector<HTMLImageElement>('[part="poster"]');
  const badge = (element: HTMLElement) => shadow(element as never).querySelector<HTMLElement>('[part="disclosure"]');

  it('shows the poster in idle and ended, hides it while live, and it is decorative by default', async () => {
    const { element } = await widgetFixture(html`<anam-persona data-token-endpoint="/t" poster=${FACE}></anam-persona>`);
    expect(poster(element)!.src).to.equal(FACE);
    expect(poster(element)!.alt).to.equal('');
    await element.start();
    await untilState(element, 'live');
    expect(poster(element)).to.be.null;
    await element.stop();
    await untilState(element, 'ended');
    expect(poster(element)).to.exist;
    await expect(element).to.be.accessible();
  });

  it('shows the poster over an error too, and names it when labels.posterAlt is set', async () => {
    const { element, clients } = await widgetFixture(
      html`<anam-persona data-token-endpoint="/t" poster=${FACE} labels='{"posterAlt":"Ada, our assistant"}'></anam-persona>`,
    );
    expect(poster(element)!.alt).to.equal('Ada, our assistant');
    await element.start();
    clients[0]!.emit('CONNECTION_CLOSED', 'CONNECTION_CLOSED_CODE_MICROPHONE_PERMISSION_DENIED');
    await untilState(element, 'error');
    expect(poster(element)).to.exist;
  });

  it('fits the poster as --anam-persona-video-fit says', async () => {
    const { element } = await widgetFixture(html`<anam-persona data-token-endpoint="/t" poster=${FACE}></anam-persona>`);
    expect(getComputedStyle(poster(element)!).objectFit).to.equal('contain');
    element.style.setProperty('--anam-persona-video-fit', 'cover');
    expect(getComputedStyle(poster(element)!).objectFit).to.equal('cover');
  });

  it('puts the poster on the floating launcher as a round, decorative face', async () => {
    const { element } = await widgetFixture(
      html`<anam-persona data-token-endpoint="/t" layout="floating" poster=${FACE}></anam-persona>`,
    );
    const face = shadow(element).querySelector<HTMLImageElement>('[part="launcher-face"]')!;
    expect(face.src).to.equal(FACE);
    expect(face.alt).to.equal('');
    expect(getComputedStyle(face).borderRadius).to.equal('50%');
    expect(shadow(element).querySelector('.launcher')!.getAttribute('aria-label')).to.equal('Open video assistant');
    await expect(element).to.be.accessible();
  });

  it('shows no poster without the attribute', async () => {
    const { element } = await widgetFixture(html`<anam-persona data-token-endpoint="/t" layout="floating"></anam-persona>`);
    expect(poster(element)).to.be.null;
    expect(shadow(element).querySelector('[part="launcher-face"]')).to.be.null;
  });

  it('shows the AI badge only while live, named for screen readers, and accessible', async () => {
    const { element } = await widgetFixture();
    expect(badge(element)).to.be.null;
    await element.start();
    await untilState(element, 'live');
    expect(badge(element)!.getAttribute('role')).to.equal('img');
    expect(badge(element)!.getAttribute('aria-label')).to.equal('You are talking to an AI');
    expect(badge(element)!.textContent!.trim()).to.equal('AI');
    expect(badge(element)!.getBoundingClientRect().width).to.be.greaterThan(0);
    await expect(element).to.be.accessible();
    await element.stop();
    await untilState(element, 'ended');
    expect(badge(element)).to.be.null;
  });

  it('keeps the badge visible over the tap-to-enable-sound view', async () => {
    const { element, clients } = await widgetFixture();
    await element.start();
    await untilState(element, 'live');
    // Make audio.play() reject as a browser blocking autoplay would.
    const audio = shadow(element).querySelector('audio')!;
    audio.play = () => Promise.reject(new DOMException('blocked', 'NotAllowedError'));
    clients[0]!.emit('AUDIO_STREAM_STARTED', new MediaStream());
    await new Promise((resolve) => setTimeout(resolve));
    await element.updateComplete;
    const box = badge(element)!.getBoundingClientRect();
    expect(
      shadow(element)
        .elementFromPoint(box.left + box.width / 2, box.top + box.height / 2)
        ?.closest('[part="disclosure"]'),
    ).to.exist;
  });

  it('has no badge with disclosure="off", and translates it', async () => {
    const { element } = await widgetFixture(html`<anam-persona data-token-endpoint="/t" disclosure="off"></anam-persona>`);
    await element.start();
    await untilState(element, 'live');
    expect(badge(element)).to.be.null;
    const { element: french } = await widgetFixture(html`<anam-persona data-token-endpoint="/t" lang="fr"></anam-persona>`);
    await french.start();
    await untilState(french, 'live');
    expect(badge(french)!.getAttribute('aria-label')).to.equal('Vous parlez à une IA');
    expect(badge(french)!.textContent!.trim()).to.equal('IA');
  });
});
