import { html, nothing } from 'lit';
import { fill, type Labels } from './labels.ts';
import type { MicChoiceController } from './mic-choice-controller.ts';

/** A small menu beside the mute control, only when there is a choice to make. */
export function micChoiceView(micChoice: MicChoiceController, labels: Labels) {
  const { microphones, chosen } = micChoice;
  if (microphones.length < 2) return nothing;
  const known = microphones.some((device) => device.deviceId === chosen);
  return html`<label class="visually-hidden" for="mic-select">${labels.microphone}</label>
    <select
      part="mic-select"
      id="mic-select"
      class="mic-select"
      title=${labels.microphone}
      @change=${(event: Event) => void micChoice.choose((event.target as HTMLSelectElement).value)}
    >
      ${known ? nothing : html`<option value="" selected>${labels.microphoneDefault}</option>`}
      ${microphones.map(
        (device, index) =>
          html`<option value=${device.deviceId} ?selected=${device.deviceId === chosen}>
            ${device.label || fill(labels.microphoneNumbered, { number: index + 1 })}
          </option>`,
      )}
    </select>`;
}
