import type { ReactiveController, ReactiveControllerHost } from 'lit';

/** The visitor's microphone for this page: every widget on it, and every new session, uses it. */
let pageMicrophone: string | undefined;

/** Browsers' aliases for "whatever the system picks", not microphones of their own. */
const ALIASES = new Set(['default', 'communications']);

export interface MicChoiceOptions {
  /** A session is live with the microphone in use. */
  usable: () => boolean;
  /** Moves the live session to another microphone. */
  change: (deviceId: string) => Promise<void>;
  /** The browser's devices (replaceable in tests). */
  listDevices?: () => Promise<MediaDeviceInfo[]>;
}

/** Offers a choice of microphone while live, when the browser reports more than one. */
export class MicChoiceController implements ReactiveController {
  microphones: MediaDeviceInfo[] = [];
  #listening = false;

  constructor(
    private readonly host: ReactiveControllerHost,
    private readonly options: MicChoiceOptions,
  ) {
    host.addController(this);
  }

  /** The microphone chosen earlier on this page, for a new session to start with. */
  static get remembered(): string | undefined {
    return pageMicrophone;
  }

  get chosen(): string | undefined {
    return pageMicrophone;
  }

  hostUpdated(): void {
    const usable = this.options.usable();
    if (usable && !this.#listening) {
      this.#listening = true;
      navigator.mediaDevices?.addEventListener('devicechange', this.#refresh);
      void this.#refresh();
    } else if (!usable && this.#listening) this.hostDisconnected();
  }

  hostDisconnected(): void {
    this.#listening = false;
    navigator.mediaDevices?.removeEventListener('devicechange', this.#refresh);
    if (this.microphones.length) {
      this.microphones = [];
      this.host.requestUpdate();
    }
  }

  async choose(deviceId: string): Promise<void> {
    if (!deviceId || deviceId === pageMicrophone) return;
    try {
      await this.options.change(deviceId);
      pageMicrophone = deviceId;
    } catch (error) {
      console.warn('<anam-persona>: could not switch to the chosen microphone; keeping the current one.', error);
    }
    this.host.requestUpdate();
  }

  readonly #refresh = async () => {
    const list = this.options.listDevices ?? (() => navigator.mediaDevices.enumerateDevices());
    const devices = await list().catch(() => []);
    if (!this.#listening) return;
    this.microphones = devices.filter((device) => device.kind === 'audioinput' && !ALIASES.has(device.deviceId));
    this.host.requestUpdate();
  };
}

/** For tests: forget the page's choice. @internal */
export function forgetPageMicrophone(): void {
  pageMicrophone = undefined;
}
