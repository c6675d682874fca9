import { expect, fixture, html } from '@open-wc/testing';
import '../../widget/index.ts';
import type { AnamPersona } from '../../widget/anam-persona.ts';
import { skipWithoutWebRTC } from '../browser-helpers/features.ts';
import { testServerUrl, waitFor } from '../browser-helpers/test-server.ts';

function transcriptText(element: AnamPersona): string {
  return element.shadowRoot!.querySelector('.transcript')?.textContent ?? '';
}

describe('<anam-persona> with the real @anam-ai/js-sdk and the local engine', () => {
  before(function () {
    skipWithoutWebRTC(this);
  });

  it('hears a send() made from the anam-persona-ready handler, and answers it', async () => {
    const server = await testServerUrl();
    const element = await fixture<AnamPersona>(
      html`<anam-persona data-token-endpoint=${`${server}/api/session-token`} transcript></anam-persona>`,
    );
    // What a page does: greet the persona the moment it says it is ready.
    element.addEventListener('anam-persona-ready', () => element.send('ready handler hello'), { once: true });
    try {
      await element.start();
      await waitFor('the reply to the ready-time message', () =>
        transcriptText(element).includes('You said: "ready handler hello"'),
      );
      expect(transcriptText(element)).to.contain('ready handler hello');
    } finally {
      await element.stop();
    }
  });

  it('stops a microphone the visitor allows only after the conversation was stopped', async () => {
    const server = await testServerUrl();
    // The browser's permission prompt, still open when the visitor stops: answered by allow().
    const granted: MediaStreamTrack[] = [];
    let asked = false;
    let allow = () => {};
    const media = navigator.mediaDevices;
    const browsersGetUserMedia = media.getUserMedia;
    media.getUserMedia = async (constraints) => {
      asked = true;
      await new Promise<void>((resolve) => (allow = resolve));
      const stream = await browsersGetUserMedia.call(media, constraints);
      granted.push(...stream.getTracks());
      return stream;
    };
    try {
      const element = await fixture<AnamPersona>(
        html`<anam-persona data-token-endpoint=${`${server}/api/session-token`}></anam-persona>`,
      );
      const starting = element.start().catch(() => undefined);
      await waitFor('the SDK to ask for the microphone', () => asked);
      await element.stop();
      await starting;
      allow();
      await waitFor('the late microphone', () => granted.length > 0);
      await waitFor('the late microphone to stop', () => granted.every((track) => track.readyState === 'ended'), 3000);
      expect(element.state).to.equal('ended');
    } finally {
      media.getUserMedia = browsersGetUserMedia;
      allow();
    }
  });

  // With the SDK's pool of two pre-gathered candidates, Chromium now and then surfaced no local candidate
  // for the new connection, and the start waited 10 s for a fresh attempt (7 of 1,700 starts on loopback).
  it('has the browser gather ICE candidates for the connection itself, none pre-gathered in a pool', async () => {
    const server = await testServerUrl();
    // What the page asks the browser for (Firefox's getConfiguration() leaves the pool size out).
    const asked: Array<RTCConfiguration | undefined> = [];
    const Browsers = window.RTCPeerConnection;
    window.RTCPeerConnection = class extends Browsers {
      constructor(configuration?: RTCConfiguration) {
        super(configuration);
        asked.push(configuration);
      }
    };
    const element = await fixture<AnamPersona>(
      html`<anam-persona data-token-endpoint=${`${server}/api/session-token`} mic="off"></anam-persona>`,
    );
    try {
      await element.start();
      expect(element.state).to.equal('live');
      expect(asked).to.have.length(1);
      expect(asked[0]?.iceCandidatePoolSize).to.equal(0);
    } finally {
      window.RTCPeerConnection = Browsers;
      await element.stop();
    }
  });
});
