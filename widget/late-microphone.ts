import { AnamEvent } from './anam-sdk.ts';
import type { PersonaClient } from './persona-session.ts';

/** What the SDK's streaming client (not public API) holds once the browser grants the microphone. */
interface SdkMicrophoneHolder {
  getInputAudioStream(): MediaStream | null;
}

/**
 * The SDK asks for the microphone alongside the connection and does not cancel that request when it stops.
 * A conversation stopped while the browser still asks the visitor would, after a later "Allow", leave a
 * microphone open that nobody stops: the tab says it is recording after the widget said the conversation
 * ended. Called before such a client is stopped (stopStreaming() lets go of its streaming client), this
 * stops that microphone the moment it is granted.
 */
export function stopMicrophoneGrantedLate(client: PersonaClient): void {
  if (String(client.getInputAudioState().permissionState) !== 'pending') return;
  const holder = (client as unknown as { streamingClient?: SdkMicrophoneHolder }).streamingClient;
  if (!holder) return;
  client.addListener(AnamEvent.MIC_PERMISSION_GRANTED, () => {
    for (const track of holder.getInputAudioStream()?.getTracks() ?? []) track.stop();
  });
}
