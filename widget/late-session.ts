import type { PersonaClient } from './persona-session.ts';

/** How often, and how long, a stopped client is watched for a session it was still asking for. */
const WATCH_EVERY_MS = 10;
const WATCH_FOR_MS = 30_000;

/**
 * The SDK's stopStreaming() does nothing while stream() still waits for the service to start the session;
 * once that answer comes, the SDK connects anyway — a live session, and a microphone prompt, nobody asked
 * for any more (a widget removed or stopped right after Start). For a client stopped before it was
 * streaming, `stop` runs again the moment the SDK says it is.
 */
export function stopSessionStartedLate(client: PersonaClient, stop: () => void): void {
  const startedAt = Date.now();
  const watch = setInterval(() => {
    const streaming = client.isStreaming();
    if (streaming) stop();
    if (streaming || Date.now() - startedAt > WATCH_FOR_MS) clearInterval(watch);
  }, WATCH_EVERY_MS);
}
