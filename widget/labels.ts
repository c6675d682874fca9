import { de } from './locales/de.ts';
import { es } from './locales/es.ts';
import { fr } from './locales/fr.ts';

/** Every string the widget shows or announces. Override any of them with the `labels` attribute. */
export interface Labels {
  title: string;
  intro: string;
  start: string;
  stop: string;
  cancel: string;
  retry: string;
  startAgain: string;
  openLauncher: string;
  close: string;
  mute: string;
  unmute: string;
  interrupt: string;
  send: string;
  messagePlaceholder: string;
  messageLabel: string;
  enableSound: string;
  you: string;
  persona: string;
  transcript: string;
  video: string;
  requestingToken: string;
  connecting: string;
  live: string;
  reconnecting: string;
  activityListening: string;
  activityThinking: string;
  activitySpeaking: string;
  ended: string;
  endedByService: string;
  micBlocked: string;
  errorTokenEndpointUnreachable: string;
  errorNotAllowed: string;
  errorSignInRequired: string;
  errorRateLimited: string;
  errorRateLimitedRetryIn: string;
  errorPersonaUnavailable: string;
  errorServiceUnavailable: string;
  errorServiceBusy: string;
  errorBadTokenResponse: string;
  errorConnectionFailed: string;
  errorConnectionLost: string;
  errorMicrophoneBlocked: string;
  errorMissingEndpoint: string;
  errorUnknown: string;
  consentTitle: string;
  consentText: string;
  consentAccept: string;
  consentDecline: string;
  consentLink: string;
  opensInNewTab: string;
  disclosureBadge: string;
  disclosureLabel: string;
  posterAlt: string;
  feedbackQuestion: string;
  feedbackUp: string;
  feedbackDown: string;
  feedbackComment: string;
  feedbackSend: string;
  feedbackThanks: string;
  idlePrompt: string;
  idleContinue: string;
  endedIdle: string;
  endedMaxDuration: string;
  maxDurationNotice: string;
  microphone: string;
  microphoneDefault: string;
  microphoneNumbered: string;
}

const en: Labels = {
  title: 'Talk to our assistant',
  intro: 'Start a live video conversation. You can speak or type.',
  start: 'Start conversation',
  stop: 'End conversation',
  cancel: 'Cancel',
  retry: 'Try again',
  startAgain: 'Start again',
  openLauncher: 'Open video assistant',
  close: 'Close',
  mute: 'Mute microphone',
  unmute: 'Unmute microphone',
  interrupt: 'Interrupt',
  send: 'Send',
  messagePlaceholder: 'Type a message…',
  messageLabel: 'Message',
  enableSound: 'Tap to enable sound',
  you: 'You',
  persona: 'Assistant',
  transcript: 'Conversation transcript',
  video: 'Assistant video',
  requestingToken: 'Getting ready…',
  connecting: 'Connecting to the assistant…',
  live: 'Connected',
  reconnecting: 'Connection lost. Reconnecting…',
  activityListening: 'Listening…',
  activityThinking: 'Thinking…',
  activitySpeaking: 'Speaking',
  ended: 'The conversation has ended.',
  endedByService: 'The conversation was ended by the service.',
  micBlocked: 'Microphone blocked: you can still type your messages.',
  errorTokenEndpointUnreachable: "We couldn't reach the server. Check your connection and try again.",
  errorNotAllowed: 'This site is not allowed to start a conversation.',
  errorSignInRequired: 'Please sign in to talk to the assistant.',
  errorRateLimited: 'Too many conversations were started. Please wait a moment and try again.',
  errorRateLimitedRetryIn: 'Too many conversations were started. Please try again in {seconds} s.',
  errorPersonaUnavailable: 'The assistant is not available right now.',
  errorServiceUnavailable: 'The assistant service is unavailable. Please try again shortly.',
  errorServiceBusy: 'All assistants are busy right now. Please try again shortly.',
  errorBadTokenResponse: 'The server gave an unexpected answer. Please try again later.',
  errorConnectionFailed: "We couldn't connect to the assistant. Please try again.",
  errorConnectionLost: 'The connection was lost.',
  errorMicrophoneBlocked: 'Your microphone is blocked. Allow it in the browser, or type instead.',
  errorMissingEndpoint: 'This widget is missing its data-token-endpoint attribute.',
  errorUnknown: 'Something went wrong. Please try again.',
  consentTitle: 'Before we start',
  consentText: 'You will talk to an AI assistant. Your voice, your messages and the conversation are processed to answer you.',
  consentAccept: 'Accept and start',
  consentDecline: 'Not now',
  consentLink: 'Privacy policy',
  opensInNewTab: '(opens in a new tab)',
  disclosureBadge: 'AI',
  disclosureLabel: 'You are talking to an AI',
  posterAlt: '',
  feedbackQuestion: 'Was this helpful?',
  feedbackUp: 'Yes, it was helpful',
  feedbackDown: 'No, it was not helpful',
  feedbackComment: 'Tell us more (optional)',
  feedbackSend: 'Send feedback',
  feedbackThanks: 'Thank you for your feedback.',
  idlePrompt: 'Are you still there?',
  idleContinue: 'Continue',
  endedIdle: 'The conversation ended because nobody was there.',
  endedMaxDuration: 'The conversation reached its time limit.',
  maxDurationNotice: 'This conversation ends in {seconds} s.',
  microphone: 'Microphone',
  microphoneDefault: 'Default microphone',
  microphoneNumbered: 'Microphone {number}',
};

/** The languages the widget speaks out of the box, each with every key. */
export const LOCALES: Readonly<Record<string, Labels>> = { en, fr, de, es };

/** English, then the page's language where we ship one, then the site owner's own words on top. */
export function resolveLabels(lang: string, overrides: Partial<Labels> | undefined): Labels {
  const language = lang.toLowerCase().split('-')[0] ?? 'en';
  const merged: Labels = { ...en, ...LOCALES[language] };
  for (const [key, value] of Object.entries(overrides ?? {})) {
    if (key in en && typeof value === 'string') merged[key as keyof Labels] = value;
  }
  return merged;
}

export const LABEL_KEYS = Object.keys(en) as Array<keyof Labels>;

/** Fills `{name}` placeholders. */
export function fill(template: string, values: Record<string, string | number>): string {
  return template.replace(/\{(\w+)\}/g, (whole, name: string) => (name in values ? String(values[name]) : whole));
}
