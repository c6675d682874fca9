import { html, nothing } from 'lit';
import type { Labels } from './labels.ts';

export interface ConsentViewContext {
  labels: Labels;
  /** An http(s) policy address, already checked. */
  policyUrl: string | undefined;
  accept: () => void;
  decline: () => void;
}

/** The consent panel over the stage: title, text, policy link, Accept and Decline. */
export function consentView({ labels, policyUrl, accept, decline }: ConsentViewContext) {
  return html`<div
    part="overlay consent"
    class="overlay consent"
    role="group"
    tabindex="-1"
    aria-labelledby="consent-title"
    aria-describedby="consent-text"
  >
    <p id="consent-title" class="consent-title">${labels.consentTitle}</p>
    <p id="consent-text">${labels.consentText}</p>
    ${
      policyUrl
        ? html`<a part="consent-link" href=${policyUrl} target="_blank" rel="noopener noreferrer"
            >${labels.consentLink}<span class="visually-hidden"> ${labels.opensInNewTab}</span></a
          >`
        : nothing
    }
    <div class="consent-actions">
      <button part="button consent-accept" class="primary" @click=${accept}>${labels.consentAccept}</button>
      <button part="button consent-decline" @click=${decline}>${labels.consentDecline}</button>
    </div>
  </div>`;
}
