/** Every string the widget shows or announces. Override any of them with the `labels` attribute. */
export interface Labels {
  title: string;
  intro: string;
  start: string;
  stop: string;
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

const fr: Partial<Labels> = {
  title: 'Parlez à notre assistant',
  intro: 'Lancez une conversation vidéo en direct. Vous pouvez parler ou écrire.',
  start: 'Commencer la conversation',
  stop: 'Terminer la conversation',
  retry: 'Réessayer',
  startAgain: 'Recommencer',
  openLauncher: "Ouvrir l'assistant vidéo",
  close: 'Fermer',
  mute: 'Couper le micro',
  unmute: 'Activer le micro',
  interrupt: 'Interrompre',
  send: 'Envoyer',
  messagePlaceholder: 'Écrivez un message…',
  messageLabel: 'Message',
  enableSound: 'Touchez pour activer le son',
  you: 'Vous',
  persona: 'Assistant',
  transcript: 'Transcription de la conversation',
  requestingToken: 'Préparation…',
  connecting: "Connexion à l'assistant…",
  ended: 'La conversation est terminée.',
  micBlocked: 'Micro bloqué : vous pouvez toujours écrire vos messages.',
  errorTokenEndpointUnreachable: 'Impossible de joindre le serveur. Vérifiez votre connexion et réessayez.',
  errorRateLimited: 'Trop de conversations ont été lancées. Patientez un instant puis réessayez.',
  errorRateLimitedRetryIn: 'Trop de conversations ont été lancées. Réessayez dans {seconds} s.',
  errorPersonaUnavailable: "L'assistant n'est pas disponible pour le moment.",
  errorConnectionLost: 'La connexion a été perdue.',
  errorUnknown: "Une erreur s'est produite. Veuillez réessayer.",
  consentTitle: 'Avant de commencer',
  consentText:
    'Vous allez parler à un assistant IA. Votre voix, vos messages et la conversation sont traités pour vous répondre.',
  consentAccept: 'Accepter et commencer',
  consentDecline: 'Pas maintenant',
  consentLink: 'Politique de confidentialité',
  opensInNewTab: '(ouvre un nouvel onglet)',
  disclosureBadge: 'IA',
  disclosureLabel: 'Vous parlez à une IA',
  posterAlt: '',
  feedbackQuestion: 'Cela vous a-t-il aidé ?',
  feedbackUp: 'Oui, cela m’a aidé',
  feedbackDown: 'Non, cela ne m’a pas aidé',
  feedbackComment: 'Dites-nous en plus (facultatif)',
  feedbackSend: 'Envoyer l’avis',
  feedbackThanks: 'Merci pour votre avis.',
  idlePrompt: 'Êtes-vous toujours là ?',
  idleContinue: 'Continuer',
  endedIdle: 'La conversation s’est terminée car personne n’était là.',
  endedMaxDuration: 'La conversation a atteint sa durée maximale.',
  maxDurationNotice: 'Cette conversation se termine dans {seconds} s.',
  microphone: 'Micro',
  microphoneDefault: 'Micro par défaut',
  microphoneNumbered: 'Micro {number}',
};

const de: Partial<Labels> = {
  title: 'Sprechen Sie mit unserem Assistenten',
  intro: 'Starten Sie ein Live-Videogespräch. Sie können sprechen oder tippen.',
  start: 'Gespräch starten',
  stop: 'Gespräch beenden',
  retry: 'Erneut versuchen',
  startAgain: 'Neu starten',
  close: 'Schließen',
  mute: 'Mikrofon stummschalten',
  unmute: 'Mikrofon einschalten',
  interrupt: 'Unterbrechen',
  send: 'Senden',
  messagePlaceholder: 'Nachricht eingeben…',
  messageLabel: 'Nachricht',
  enableSound: 'Tippen, um den Ton einzuschalten',
  you: 'Sie',
  connecting: 'Verbindung zum Assistenten…',
  ended: 'Das Gespräch ist beendet.',
  errorTokenEndpointUnreachable: 'Der Server ist nicht erreichbar. Prüfen Sie Ihre Verbindung und versuchen Sie es erneut.',
  errorConnectionLost: 'Die Verbindung wurde unterbrochen.',
  errorUnknown: 'Etwas ist schiefgelaufen. Bitte versuchen Sie es erneut.',
  consentTitle: 'Bevor wir beginnen',
  consentText:
    'Sie sprechen mit einem KI-Assistenten. Ihre Stimme, Ihre Nachrichten und das Gespräch werden verarbeitet, um Ihnen zu antworten.',
  consentAccept: 'Zustimmen und starten',
  consentDecline: 'Jetzt nicht',
  consentLink: 'Datenschutzerklärung',
  opensInNewTab: '(öffnet in einem neuen Tab)',
  disclosureBadge: 'KI',
  disclosureLabel: 'Sie sprechen mit einer KI',
  posterAlt: '',
  feedbackQuestion: 'War das hilfreich?',
  feedbackUp: 'Ja, es war hilfreich',
  feedbackDown: 'Nein, es war nicht hilfreich',
  feedbackComment: 'Erzählen Sie uns mehr (optional)',
  feedbackSend: 'Feedback senden',
  feedbackThanks: 'Danke für Ihr Feedback.',
  idlePrompt: 'Sind Sie noch da?',
  idleContinue: 'Weiter',
  endedIdle: 'Das Gespräch wurde beendet, weil niemand mehr da war.',
  endedMaxDuration: 'Das Gespräch hat seine maximale Dauer erreicht.',
  maxDurationNotice: 'Dieses Gespräch endet in {seconds} s.',
  microphone: 'Mikrofon',
  microphoneDefault: 'Standardmikrofon',
  microphoneNumbered: 'Mikrofon {number}',
};

const es: Partial<Labels> = {
  title: 'Habla con nuestro asistente',
  intro: 'Inicia una conversación de vídeo en directo. Puedes hablar o escribir.',
  start: 'Iniciar conversación',
  stop: 'Terminar conversación',
  retry: 'Reintentar',
  startAgain: 'Empezar de nuevo',
  close: 'Cerrar',
  mute: 'Silenciar micrófono',
  unmute: 'Activar micrófono',
  interrupt: 'Interrumpir',
  send: 'Enviar',
  messagePlaceholder: 'Escribe un mensaje…',
  messageLabel: 'Mensaje',
  enableSound: 'Toca para activar el sonido',
  you: 'Tú',
  connecting: 'Conectando con el asistente…',
  ended: 'La conversación ha terminado.',
  errorTokenEndpointUnreachable: 'No pudimos contactar con el servidor. Comprueba tu conexión e inténtalo de nuevo.',
  errorConnectionLost: 'Se perdió la conexión.',
  errorUnknown: 'Algo salió mal. Inténtalo de nuevo.',
  consentTitle: 'Antes de empezar',
  consentText: 'Vas a hablar con un asistente de IA. Tu voz, tus mensajes y la conversación se procesan para responderte.',
  consentAccept: 'Aceptar y empezar',
  consentDecline: 'Ahora no',
  consentLink: 'Política de privacidad',
  opensInNewTab: '(se abre en una pestaña nueva)',
  disclosureBadge: 'IA',
  disclosureLabel: 'Estás hablando con una IA',
  posterAlt: '',
  feedbackQuestion: '¿Te ha resultado útil?',
  feedbackUp: 'Sí, ha sido útil',
  feedbackDown: 'No, no ha sido útil',
  feedbackComment: 'Cuéntanos más (opcional)',
  feedbackSend: 'Enviar opinión',
  feedbackThanks: 'Gracias por tu opinión.',
  idlePrompt: '¿Sigues ahí?',
  idleContinue: 'Continuar',
  endedIdle: 'La conversación terminó porque no había nadie.',
  endedMaxDuration: 'La conversación alcanzó su duración máxima.',
  maxDurationNotice: 'Esta conversación termina en {seconds} s.',
  microphone: 'Micrófono',
  microphoneDefault: 'Micrófono predeterminado',
  microphoneNumbered: 'Micrófono {number}',
};

const BUILT_IN: Record<string, Partial<Labels>> = { en, fr, de, es };

/** English, then the page's language where we ship one, then the site owner's own words on top. */
export function resolveLabels(lang: string, overrides: Partial<Labels> | undefined): Labels {
  const language = lang.toLowerCase().split('-')[0] ?? 'en';
  const merged: Labels = { ...en, ...BUILT_IN[language] };
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
