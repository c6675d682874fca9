import type { ReactiveController, ReactiveControllerHost } from 'lit';
import type { SessionState } from './persona-session.ts';

/** Where keyboard focus goes, in order of preference, when the control holding it vanished with a state change. */
const FOCUS_TARGETS: Record<SessionState, string[]> = {
  idle: ['[part~="start"]'],
  'requesting-token': ['.panel'],
  connecting: ['.panel'],
  live: ['.composer input', '[part~="stop"]'],
  reconnecting: ['[part~="stop"]', '.panel'],
  ended: ['[part~="start"]', '.panel'],
  error: ['[part~="retry"]', '.panel'],
};

type FocusHost = ReactiveControllerHost & HTMLElement & { readonly state: SessionState; readonly renderRoot: ParentNode };

/**
 * Keeps keyboard focus inside the widget: Start, Stop and Retry remove the button that had focus, which
 * would drop a keyboard visitor on <body>; this puts focus on the next sensible control instead. Also
 * lets Escape close the floating panel while focus is on the page rather than in the panel.
 */
export class FocusController implements ReactiveController {
  /** Whether focus is in the widget, or was until a re-render removed the control that held it. */
  #held = false;
  #lastState: SessionState | undefined;

  constructor(
    private readonly host: FocusHost,
    private readonly escape: { closable: () => boolean; close: () => void },
  ) {
    host.addController(this);
  }

  hostConnected(): void {
    this.host.addEventListener('focusin', this.#handleFocusIn);
    this.host.addEventListener('focusout', this.#handleFocusOut);
    document.addEventListener('keydown', this.#handleKeydown);
  }

  hostDisconnected(): void {
    this.host.removeEventListener('focusin', this.#handleFocusIn);
    this.host.removeEventListener('focusout', this.#handleFocusOut);
    document.removeEventListener('keydown', this.#handleKeydown);
  }

  hostUpdated(): void {
    const { state } = this.host;
    if (state === this.#lastState) return;
    this.#lastState = state;
    // The panel only holds focus while a session starts; a control in the widget keeps it, unless the new
    // state hid it (the live controls stay laid out, hidden, so the widget keeps its size).
    const inner = this.host.shadowRoot?.activeElement;
    const lost = inner ? inner.matches('.panel, .off > :not(.stage) *') : this.#focusIsLost();
    if (!this.#held || !lost) return;
    for (const selector of FOCUS_TARGETS[state]) {
      const target = this.host.renderRoot.querySelector<HTMLElement>(selector);
      if (target) return target.focus();
    }
  }

  #focusIsLost(): boolean {
    const active = document.activeElement;
    return !active || active === document.body || active === this.host;
  }

  #handleFocusIn = () => (this.#held = true);

  #handleFocusOut = (event: FocusEvent) => {
    if (event.relatedTarget instanceof Node && this.host.shadowRoot?.contains(event.relatedTarget)) return;
    const left = event.composedPath()[0];
    // A control removed by a re-render takes focus away without the visitor moving it: focus is still ours.
    queueMicrotask(() => {
      if (!(left instanceof Node) || left.isConnected) this.#held = false;
    });
  };

  #handleKeydown = (event: KeyboardEvent) => {
    if (event.key !== 'Escape' || event.defaultPrevented || !this.escape.closable()) return;
    // Focus in the widget, or nowhere in particular (the page's own fields keep their Escape).
    if (!this.#held && !this.#focusIsLost()) return;
    this.escape.close();
  };
}
