import { css } from 'lit';

/**
 * The host resets everything it inherits (`all: initial`) so a site's global CSS cannot reach in;
 * theming goes only through the --anam-persona-* custom properties and ::part().
 */
export const hostStyles = css`
  :host {
    all: initial;
    display: block !important;
    box-sizing: border-box;
    min-width: 280px;
    --_accent: var(--anam-persona-accent, #4f46e5);
    --_accent-text: var(--anam-persona-accent-text, #ffffff);
    --_surface: var(--anam-persona-surface, #ffffff);
    --_text: var(--anam-persona-text, #1b1f27);
    --_muted: var(--anam-persona-muted, #5b6472);
    --_border: var(--anam-persona-border, #d7dce3);
    --_danger: var(--anam-persona-danger, #b42318);
    --_radius: var(--anam-persona-radius, 14px);
    --_stage: var(--anam-persona-stage, #111827);
    --_focus: var(--anam-persona-focus, #2563eb);
    --_z: var(--anam-persona-z-index, 2147483000);
  }
  :host([hidden]),
  [hidden] {
    display: none !important;
  }
  /* Typography lives inside the shadow root: a page's 'all: unset' on the host cannot reach it. */
  .root {
    font-family: var(--anam-persona-font, system-ui, -apple-system, 'Segoe UI', Roboto, sans-serif);
    font-size: var(--anam-persona-font-size, 15px);
    font-weight: 400;
    font-style: normal;
    line-height: 1.45;
    letter-spacing: normal;
    text-transform: none;
    text-align: start;
    color: var(--_text);
    height: 100%;
  }
  *,
  *::before,
  *::after {
    box-sizing: border-box;
  }
`;

/**
 * `.stage` has `min-width: 0`: else WebKit turns its min-height, through the aspect ratio, into a 284 px minimum width.
 * One size in every state: the frame always lays out the stage, controls, transcript and composer (until a session is
 * first live, their shells); until live (`.off`) the rows are hidden, and the overlay and poster cover the
 * whole frame rather than the stage alone.
 */
export const styles = css`
  .panel,
  .frame {
    display: flex;
    flex-direction: column;
  }
  .frame {
    position: relative;
    flex: 1;
    min-height: 0;
  }
  .stage,
  .off {
    background: var(--_stage);
  }
  .off > .stage {
    position: static;
  }
  .off > :not(.stage) {
    visibility: hidden;
  }
  .panel {
    background: var(--_surface);
    border: 1px solid var(--_border);
    border-radius: var(--_radius);
    overflow: hidden;
    width: 100%;
    height: 100%;
  }
  .stage {
    position: relative;
    aspect-ratio: var(--anam-persona-aspect-ratio, 16 / 9);
    flex: 1 1 auto;
    min-height: 160px;
    min-width: 0;
  }
  video,
  .poster {
    display: block;
    width: 100%;
    height: 100%;
    object-fit: var(--anam-persona-video-fit, contain);
  }
  .overlay {
    position: absolute;
    inset: 0;
    display: flex;
    flex-direction: column;
    align-items: center;
    justify-content: safe center;
    overflow-y: auto;
    gap: 12px;
    padding: 16px;
    text-align: center;
    color: #f3f4f6;
    background: rgba(17, 24, 39, 0.72);
  }
  .overlay p {
    margin: 0;
    max-width: 36ch;
  }
  /* The two chips on the stage: connection status at the top, the persona's activity at the bottom. */
  .status-live,
  .activity {
    position: absolute;
    left: 10px;
    padding: 2px 10px;
    border-radius: 999px;
    background: rgba(17, 24, 39, 0.6);
    color: #fff;
    font-size: 0.8em;
  }
  .status-live {
    top: 10px;
  }
  .poster {
    position: absolute;
    inset: 0;
  }
  .disclosure {
    position: absolute;
    top: 10px;
    right: 10px;
    z-index: 1;
    padding: 2px 8px;
    border-radius: 6px;
    background: rgba(17, 24, 39, 0.75);
    color: #fff;
    font-size: 0.75em;
    font-weight: 700;
    letter-spacing: 0.04em;
  }
  .overlay.consent {
    background: rgba(17, 24, 39, 0.9);
    font-size: 0.92em;
  }
  .consent-title {
    font-weight: 700;
    font-size: 1.08em;
  }
  .overlay.consent:focus {
    outline: none;
  }
  .overlay a {
    color: #c7d2fe;
  }
  .consent-actions,
  .feedback-row {
    display: flex;
    flex-wrap: wrap;
    align-items: center;
    justify-content: center;
    gap: 8px;
  }
  .overlay.idle-prompt {
    z-index: 2;
    background: rgba(17, 24, 39, 0.88);
  }
  .time-notice {
    position: absolute;
    left: 10px;
    right: 10px;
    bottom: 10px;
    margin: 0;
    padding: 6px 10px;
    border-radius: 8px;
    background: rgba(17, 24, 39, 0.85);
    color: #fff;
    font-size: 0.85em;
    text-align: center;
  }
  .feedback {
    display: flex;
    flex-direction: column;
    align-items: center;
    gap: 8px;
  }
  .feedback textarea {
    width: 100%;
    padding: 8px 12px;
    border-radius: 10px;
    resize: vertical;
  }
  .mic-select {
    font-size: 0.85em;
    border-radius: 999px;
    min-height: 40px;
    max-width: 12rem;
    min-width: 0;
    padding: 0 8px;
  }
  .launcher-face {
    width: 100%;
    height: 100%;
    border-radius: 50%;
    object-fit: cover;
  }
  .activity {
    bottom: 10px;
  }
  .activity[data-activity='speaking'] {
    background: var(--anam-persona-accent, #4f46e5);
    color: var(--anam-persona-accent-text, #ffffff);
  }
  .spinner {
    width: 32px;
    height: 32px;
    border-radius: 50%;
    border: 3px solid rgba(255, 255, 255, 0.3);
    border-top-color: #fff;
    animation: spin 0.9s linear infinite;
  }
  @keyframes spin {
    to {
      transform: rotate(360deg);
    }
  }
  button,
  input,
  select,
  textarea {
    font: inherit;
    color: var(--_text);
    margin: 0;
    border: 1px solid var(--_border);
    background: var(--_surface);
  }
  button {
    display: inline-flex;
    align-items: center;
    justify-content: center;
    gap: 6px;
    min-height: 40px;
    min-width: 40px;
    padding: 8px 14px;
    border-radius: 999px;
    cursor: pointer;
  }
  button.primary {
    background: var(--_accent);
    border-color: var(--_accent);
    color: var(--_accent-text);
    font-weight: 600;
  }
  button.danger {
    color: var(--_danger);
    border-color: currentColor;
  }
  button[aria-pressed='true'] {
    background: #fee4e2;
    border-color: var(--_danger);
    color: var(--_danger);
  }
  button:hover {
    filter: brightness(0.96);
  }
  :is(button, input, select, textarea, a):focus-visible {
    outline: 3px solid var(--_focus);
    outline-offset: 2px;
  }
  svg {
    width: 18px;
    height: 18px;
    flex: none;
    fill: none;
    stroke: currentColor;
    stroke-width: 2;
    stroke-linecap: round;
    stroke-linejoin: round;
  }
  .controls,
  .composer {
    display: flex;
    gap: 8px;
    padding: 10px;
    border-top: 1px solid var(--_border);
  }
  /* One line at any width (a wrap would grow the widget): narrow, Interrupt and End show their icon only. */
  .controls {
    align-items: center;
    white-space: nowrap;
    container-type: inline-size;
  }
  @container (max-width: 420px) {
    .controls button span {
      font-size: 0;
    }
  }
  .controls .spacer {
    flex: 1;
  }
  .notice {
    top: 40px;
    bottom: auto;
  }
  .transcript {
    list-style: none;
    margin: 0;
    padding: 10px 12px;
    height: var(--anam-persona-transcript-height, 180px);
    overflow-y: auto;
    border-top: 1px solid var(--_border);
    display: flex;
    flex-direction: column;
    gap: 6px;
  }
  /* After a conversation: its transcript at the bottom, readable; the ended view over the rest. */
  .kept .transcript {
    visibility: visible;
    order: 1;
    position: relative;
    background: var(--_surface);
  }
  .kept .overlay {
    bottom: var(--anam-persona-transcript-height, 180px);
  }
  .transcript li {
    max-width: 85%;
    padding: 6px 10px;
    border-radius: 12px;
    background: #f1f3f7;
    overflow-wrap: anywhere;
  }
  .transcript li.user {
    align-self: flex-end;
    background: var(--_accent);
    color: var(--_accent-text);
  }
  .composer input {
    flex: 1;
    min-width: 0;
    min-height: 40px;
    padding: 8px 12px;
    border-radius: 999px;
  }
  .visually-hidden {
    position: absolute;
    width: 1px;
    height: 1px;
    overflow: hidden;
    clip: rect(0 0 0 0);
    white-space: nowrap;
  }

  /* Floating: a launcher bubble in a corner that opens a panel above the site's own layers. */
  /* !important: on the host, the page's own !important rules would otherwise win. */
  :host([layout='floating']) {
    --_offset: var(--anam-persona-offset, 20px);
    position: fixed !important;
    z-index: var(--_z) !important;
    bottom: var(--_offset) !important;
    right: var(--_offset) !important;
    min-width: 0 !important;
  }
  :host([layout='floating'][position^='top']) {
    bottom: auto !important;
    top: var(--_offset) !important;
  }
  :host([layout='floating'][position$='left']) {
    right: auto !important;
    left: var(--_offset) !important;
  }
  .launcher {
    width: 60px;
    height: 60px;
    padding: 0;
    border: none;
    background: var(--_accent);
    color: var(--_accent-text);
    box-shadow: 0 6px 20px rgba(0, 0, 0, 0.25);
  }
  .launcher svg {
    width: 28px;
    height: 28px;
  }
  :host([layout='floating']) .panel {
    position: absolute;
    bottom: 72px;
    right: 0;
    width: min(380px, calc(100vw - 40px));
    height: auto;
    max-height: calc(100vh - 120px);
    box-shadow: 0 12px 40px rgba(0, 0, 0, 0.28);
  }
  :host([layout='floating'][position^='top']) .panel {
    bottom: auto;
    top: 72px;
  }
  :host([layout='floating'][position$='left']) .panel {
    right: auto;
    left: 0;
  }
  .panel-header {
    display: flex;
    align-items: center;
    justify-content: space-between;
    padding: 6px 6px 6px 14px;
    font-weight: 600;
  }
  .panel-header button {
    border: none;
  }
  @media (max-width: 480px) {
    :host([layout='floating']) .panel {
      position: fixed;
      inset: 0;
      width: 100vw;
      max-height: none;
      border-radius: 0;
    }
  }
  @media (prefers-reduced-motion: reduce) {
    .spinner {
      animation: none;
    }
  }
  @media (forced-colors: active) {
    button,
    .panel,
    .composer input {
      border: 1px solid ButtonText;
    }
    button[aria-pressed='true'] {
      outline: 2px solid Highlight;
    }
  }
`;
