/** The URL of the real server the test runner started for these tests (see web-test-runner.config.ts). */
export async function testServerUrl(): Promise<string> {
  const modulePath = '/__test-server.js';
  const { TEST_SERVER_URL } = (await import(/* @vite-ignore */ modulePath)) as { TEST_SERVER_URL: string };
  return TEST_SERVER_URL;
}

export interface EngineSessionView {
  id: string;
  state: string;
  micLevel: number;
  micSamplesReceived: number;
  spoken: string[];
  messagesReceived: Array<Record<string, unknown>>;
}

/** The local engine's view of its sessions (its test-only inspection route). */
export async function engineSessions(engineBase: string): Promise<EngineSessionView[]> {
  const response = await fetch(`${engineBase}/__test/sessions`);
  return ((await response.json()) as { sessions: EngineSessionView[] }).sessions;
}

/** Polls until `check` returns a truthy value, or fails with `what` after `timeoutMs`. */
export async function waitFor<T>(what: string, check: () => T | Promise<T>, timeoutMs = 10_000): Promise<NonNullable<T>> {
  const deadline = performance.now() + timeoutMs;
  for (;;) {
    const value = await check();
    if (value) return value as NonNullable<T>;
    if (performance.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}
