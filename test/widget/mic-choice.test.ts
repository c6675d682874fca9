import { expect, html } from '@open-wc/testing';
import { sendKeys } from '@web/test-runner-commands';
import type { AnamPersona } from '../../widget/anam-persona.ts';
import { forgetPageMicrophone } from '../../widget/mic-choice-controller.ts';
import { stubTokenEndpoint } from '../browser-helpers/fake-client.ts';
import { waitFor } from '../browser-helpers/test-server.ts';
import { shadow, untilState, widgetFixture } from '../browser-helpers/widget.ts';

/** What enumerateDevices reports: the browser's "default" alias, then the real devices. */
function microphones(...labels: string[]): MediaDeviceInfo[] {
  const device = (deviceId: string, label: string, kind: MediaDeviceKind = 'audioinput') =>
    ({ deviceId, label, kind, groupId: 'g', toJSON: () => ({}) }) as MediaDeviceInfo;
  return [
    device('default', 'Default - first'),
    ...labels.map((label, index) => device(`mic-${index + 1}`, label)),
    device('cam-1', 'Camera', 'videoinput'),
    device('out-1', 'Speakers', 'audiooutput'),
  ];
}

describe('<anam-persona> microphone choice', () => {
  let endpoint: ReturnType<typeof stubTokenEndpoint>;
  let devices: MediaDeviceInfo[];
  const original = navigator.mediaDevices.enumerateDevices.bind(navigator.mediaDevices);
  beforeEach(() => {
    forgetPageMicrophone();
    endpoint = stubTokenEndpoint({ body: { sessionToken: 'eyJhbGciOiJIUzI1NiJ9.eyJ0eXBlIjoic3RhdGVmdWwifQ.c2ln' } });
    devices = microphones('Desk mic', 'Headset');
    navigator.mediaDevices.enumerateDevices = async () => devices;
  });
  afterEach(() => {
    endpoint.restore();
    navigator.mediaDevices.enumerateDevices = original;
  });

  const select = (element: AnamPersona) => shadow(element).querySelector<HTMLSelectElement>('[part="mic-select"]');

  it('offers the microphones beside the mute control, labelled, and switches the live session', async () => {
    const { element, clients } = await widgetFixture();
    await element.start();
    await untilState(element, 'live');
    const menu = await waitFor('the microphone menu', () => select(element));
    expect(menu.previousElementSibling?.textContent).to.equal('Microphone');
    expect(menu.closest('[part="controls"]')!.querySelector('[part~="mute"]')).to.exist;
    expect([...menu.options].map((option) => option.textContent!.trim())).to.deep.equal([
      'Default microphone',
      'Desk mic',
      'Headset',
    ]);
    await expect(element).to.be.accessible();
    menu.focus();
    // Type-ahead picks "Headset" in every engine; arrow keys open the popup instead in WebKit (as on macOS).
    await sendKeys({ type: 'h' });
    await waitFor('the switch', () => clients[0]!.calls.includes('changeAudioInputDevice:mic-2'));
    await element.updateComplete;
    expect(select(element)!.value).to.equal('mic-2');
  });

  it('remembers the choice for the page: the next session starts with it', async () => {
    const { element, clients } = await widgetFixture();
    await element.start();
    await untilState(element, 'live');
    const menu = await waitFor('the microphone menu', () => select(element));
    menu.value = 'mic-1';
    menu.dispatchEvent(new Event('change'));
    await waitFor('the switch', () => clients[0]!.calls.includes('changeAudioInputDevice:mic-1'));
    await element.stop();
    const { element: other, clients: otherClients } = await widgetFixture();
    await other.start();
    await untilState(other, 'live');
    expect(otherClients[0]!.options).to.include({ audioDeviceId: 'mic-1' });
    expect((await waitFor('the menu', () => select(other))).value).to.equal('mic-1');
  });

  it('shows no menu with one microphone, with mic="off", or when not live; follows devices plugged in', async () => {
    devices = microphones('Desk mic');
    const { element } = await widgetFixture();
    expect(select(element)).to.be.null;
    await element.start();
    await untilState(element, 'live');
    await new Promise((resolve) => setTimeout(resolve, 50));
    await element.updateComplete;
    expect(select(element)).to.be.null;
    devices = microphones('Desk mic', 'USB mic');
    navigator.mediaDevices.dispatchEvent(new Event('devicechange'));
    await waitFor('the menu after plugging in a second mic', () => select(element));
    const { element: textOnly } = await widgetFixture(html`<anam-persona data-token-endpoint="/t" mic="off"></anam-persona>`);
    await textOnly.start();
    await untilState(textOnly, 'live');
    await new Promise((resolve) => setTimeout(resolve, 50));
    await textOnly.updateComplete;
    expect(select(textOnly)).to.be.null;
  });

  it('numbers microphones the browser has not named yet, translated', async () => {
    devices = microphones('', '');
    const { element } = await widgetFixture(html`<anam-persona data-token-endpoint="/t" lang="es"></anam-persona>`);
    await element.start();
    await untilState(element, 'live');
    const menu = await waitFor('the microphone menu', () => select(element));
    expect([...menu.options].map((option) => option.textContent!.trim())).to.deep.equal([
      'Micrófono predeterminado',
      'Micrófono 1',
      'Micrófono 2',
    ]);
  });
});
