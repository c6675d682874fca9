import { html, nothing, svg } from 'lit';
import { FEEDBACK_COMMENT_MAX, type FeedbackController } from './feedback-controller.ts';
import type { Labels } from './labels.ts';

const thumbUp = svg`<svg viewBox="0 0 24 24" aria-hidden="true"><path d="M7 11v9H4v-9zM7 11l4-8a2 2 0 0 1 3 2l-1 4h6a2 2 0 0 1 2 2.3l-1.3 7A2 2 0 0 1 17.7 20H7"/></svg>`;
const thumbDown = svg`<svg viewBox="0 0 24 24" aria-hidden="true"><path d="M17 13V4h3v9zM17 13l-4 8a2 2 0 0 1-3-2l1-4H5a2 2 0 0 1-2-2.3l1.3-7A2 2 0 0 1 6.3 4H17"/></svg>`;

/** "Was this helpful?" below the ended view: thumbs, then an optional short comment. */
export function feedbackView(feedback: FeedbackController, labels: Labels) {
  if (!feedback.asking) return nothing;
  if (feedback.sent) return html`<p part="feedback" class="feedback" role="status">${labels.feedbackThanks}</p>`;
  const submit = (event: SubmitEvent) => {
    event.preventDefault();
    const comment = (event.currentTarget as HTMLFormElement).querySelector('textarea')?.value ?? '';
    feedback.submit(comment);
  };
  const thumb = (rating: 'up' | 'down', label: string, icon: unknown) =>
    html`<button
      type="button"
      part="button feedback-${rating}"
      aria-pressed=${feedback.rating === rating ? 'true' : 'false'}
      aria-label=${label}
      title=${label}
      @click=${() => feedback.rate(rating)}
    >
      ${icon}
    </button>`;
  return html`<form part="feedback" class="feedback" @submit=${submit}>
    <div class="feedback-row" role="group" aria-labelledby="feedback-question">
      <span id="feedback-question">${labels.feedbackQuestion}</span>
      ${thumb('up', labels.feedbackUp, thumbUp)} ${thumb('down', labels.feedbackDown, thumbDown)}
    </div>
    ${
      feedback.rating
        ? html`<label for="feedback-comment">${labels.feedbackComment}</label>
            <textarea part="feedback-comment" id="feedback-comment" rows="2" maxlength=${FEEDBACK_COMMENT_MAX}></textarea>
            <button part="button feedback-send" type="submit">${labels.feedbackSend}</button>`
        : nothing
    }
  </form>`;
}
