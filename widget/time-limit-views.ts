import { html, nothing } from 'lit';
import { fill, type Labels } from './labels.ts';

/** "Are you still there?" over the stage, announced at once, with Continue. */
export function idlePromptView(prompting: boolean, labels: Labels, onContinue: () => void) {
  if (!prompting) return nothing;
  return html`<div part="overlay idle-prompt" class="overlay idle-prompt">
    <p role="alert">${labels.idlePrompt}</p>
    <button part="button idle-continue" class="primary" @click=${onContinue}>${labels.idleContinue}</button>
  </div>`;
}

/** The short notice before max-duration ends the conversation. */
export function durationNoticeView(secondsLeft: number | undefined, labels: Labels) {
  if (secondsLeft === undefined) return nothing;
  return html`<p part="time-notice" class="time-notice" role="status">
    ${fill(labels.maxDurationNotice, { seconds: secondsLeft })}
  </p>`;
}
