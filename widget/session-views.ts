import { html, nothing } from 'lit';
import { icons } from './icons.ts';
import type { Activity } from './activity-controller.ts';
import type { Labels } from './labels.ts';
import type { SessionSnapshot, TranscriptLine } from './persona-session.ts';
import { describeError } from './widget-error.ts';

/** What the views of a session need: its state, the words to show, and what the buttons do. */
export interface ViewContext {
  snapshot: SessionSnapshot;
  activity: Activity;
  labels: Labels;
  micEnabled: boolean;
  showTranscript: boolean;
  /** The microphone menu beside the mute control, when there is a choice. */
  micMenu?: unknown;
  /** "Was this helpful?" in the ended view, when the site asks. */
  feedback?: unknown;
  on: {
    start: () => void;
    stop: () => void;
    /** Stops a session still being set up, back to the start view. */
    cancel: () => void;
    interrupt: () => void;
    toggleMute: () => void;
    enableSound: () => void;
    submit: (event: SubmitEvent) => void;
  };
}

/** The words the status region announces for each state. */
export function statusText({ snapshot, labels }: ViewContext): string {
  const { state, error } = snapshot;
  if (state === 'requesting-token') return labels.requestingToken;
  if (state === 'connecting') return labels.connecting;
  if (state === 'live') return labels.live;
  if (state === 'reconnecting') return labels.reconnecting;
  if (state === 'ended') return endedText(snapshot, labels);
  if (state === 'error' && error) return describeError(error, labels);
  return '';
}

/** Why the conversation ended, in the visitor's words. */
function endedText({ endReason }: SessionSnapshot, labels: Labels): string {
  if (endReason === 'service') return labels.endedByService;
  if (endReason === 'idle-timeout') return labels.endedIdle;
  if (endReason === 'max-duration') return labels.endedMaxDuration;
  return labels.ended;
}

/** The start, connecting, ended and error views over the video, or the live badge. */
export function overlayView({ snapshot, activity, labels, feedback, on }: ViewContext) {
  const { state, error, soundBlocked } = snapshot;
  switch (state) {
    case 'idle':
      return html`<div part="overlay" class="overlay">
        <p>${labels.intro}</p>
        <button part="button start" class="primary" @click=${on.start}>${icons.play}${labels.start}</button>
      </div>`;
    case 'requesting-token':
    case 'connecting':
      // A start can wait on a slow network or an unanswered microphone prompt: the visitor may change their mind.
      return html`<div part="overlay" class="overlay" aria-busy="true">
        <div class="spinner"></div>
        <p>${state === 'connecting' ? labels.connecting : labels.requestingToken}</p>
        <button part="button cancel" @click=${on.cancel}>${labels.cancel}</button>
      </div>`;
    case 'reconnecting':
      return html`<div part="overlay" class="overlay" aria-busy="true">
        <div class="spinner"></div>
        <p>${labels.reconnecting}</p>
        <button part="button stop" class="danger" @click=${on.stop}>${icons.stop}${labels.stop}</button>
      </div>`;
    case 'ended':
      return html`<div part="overlay" class="overlay">
        <p>${endedText(snapshot, labels)}</p>
        <button part="button start" class="primary" @click=${on.start}>${icons.play}${labels.startAgain}</button>
        ${feedback}
      </div>`;
    case 'error':
      return html`<div part="overlay" class="overlay error" role="alert">
        <p>${error ? describeError(error, labels) : labels.errorUnknown}</p>
        ${
          error?.code === 'MISSING_ENDPOINT'
            ? nothing
            : html`<button part="button retry" class="primary" @click=${on.start}>${labels.retry}</button>`
        }
      </div>`;
    case 'live':
      return soundBlocked
        ? html`<div part="overlay" class="overlay">
            <button part="button" class="primary" @click=${on.enableSound}>${icons.sound}${labels.enableSound}</button>
          </div>`
        : html`<span class="status-live" aria-hidden="true">● ${labels.live}</span>${activityView(activity, labels)}`;
  }
}

const ACTIVITY_LABEL = { listening: 'activityListening', thinking: 'activityThinking', speaking: 'activitySpeaking' } as const;

/** The chip saying what the persona is doing; screen readers hear the captions instead. */
function activityView(activity: Activity, labels: Labels) {
  if (!activity) return nothing;
  return html`<span part="activity" class="activity" data-activity=${activity} aria-hidden="true"
    >${labels[ACTIVITY_LABEL[activity]]}</span
  >`;
}

/**
 * Mute, Interrupt (while the persona speaks) and End. From the first live session on, laid out in every state,
 * like the transcript and the composer (before it, rowShellsView stands in), so the widget keeps one size; the
 * styles hide them until live.
 */
export function controlsView({ snapshot, activity, labels, micEnabled, micMenu, on }: ViewContext) {
  const { muted, micBlocked } = snapshot;
  const micUsable = micEnabled && !micBlocked;
  return html`<div part="controls" class="controls">
    ${
      micUsable
        ? html`<button
              part="button mute"
              aria-pressed=${muted ? 'true' : 'false'}
              aria-label=${muted ? labels.unmute : labels.mute}
              title=${muted ? labels.unmute : labels.mute}
              @click=${on.toggleMute}
            >
              ${muted ? icons.micOff : icons.mic}
            </button>
            ${micMenu ?? nothing}`
        : nothing
    }
    ${activity === 'speaking' ? html`<button part="button interrupt" @click=${on.interrupt}>${icons.hand}<span>${labels.interrupt}</span></button>` : nothing}
    <span class="spacer"></span>
    <button part="button stop" class="danger" @click=${on.stop}>${icons.stop}<span>${labels.stop}</span></button>
  </div>`;
}

/** Tells a visitor whose microphone was blocked that typing still works. */
export function noticesView({ snapshot, labels, micEnabled }: ViewContext) {
  return snapshot.state === 'live' && snapshot.micBlocked && micEnabled
    ? html`<p class="time-notice notice" role="status">${labels.micBlocked}</p>`
    : nothing;
}

/** Captions and the conversation so far, announced politely. */
export function transcriptView({ snapshot, labels, showTranscript }: ViewContext) {
  if (!showTranscript) return nothing;
  const lines = snapshot.transcript.filter((line: TranscriptLine) => line.text.trim() !== '');
  return html`<ol part="transcript" class="transcript" tabindex="0" aria-live="polite" aria-label=${labels.transcript}>
    ${lines.map((line) => html`<li class=${line.role}><span class="visually-hidden">${line.role === 'user' ? labels.you : labels.persona}: </span>${line.text}</li>`)}
  </ol>`;
}

/** The message box and Send (usable once live). */
export function composerView({ labels, on }: ViewContext) {
  return html`<form part="composer" class="composer" @submit=${on.submit}>
    <label class="visually-hidden" for="message">${labels.messageLabel}</label>
    <input part="input" id="message" type="text" autocomplete="off" maxlength="500" placeholder=${labels.messagePlaceholder} />
    <button part="button send" class="primary" type="submit">${icons.send}${labels.send}</button>
  </form>`;
}

/**
 * Until a session is first live: the controls and composer rows as empty shells, as tall as the real rows
 * (the same row parts and classes, and a button of each row's kind, so a site's `::part()` rules size them
 * alike), and the transcript's box: the widget keeps one size, a page whose visitor never starts makes
 * none of their controls, and a start makes them only once the persona is live.
 */
export function rowShellsView(showTranscript: boolean) {
  return html`<div part="controls" class="controls">
      <button part="button stop" class="danger" tabindex="-1"><svg></svg><span>&nbsp;</span></button>
    </div>
    <ol part="transcript" class="transcript" ?hidden=${!showTranscript}></ol>
    <div part="composer" class="composer">
      <button part="button send" class="primary" tabindex="-1"><svg></svg>&nbsp;</button>
    </div>`;
}
