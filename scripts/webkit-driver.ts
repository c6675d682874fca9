import { spawn, type ChildProcess } from 'node:child_process';
import { createServer } from 'node:net';
import { WEBKIT_WEBDRIVER, XVFB } from './find-browser.ts';

export interface WebKitDriver {
  port: number;
  /** The X display MiniBrowser draws on (a private Xvfb when the machine has none). */
  display: string;
  stop(): Promise<void>;
}

async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  await new Promise((resolve) => server.close(resolve));
  return typeof address === 'object' && address ? address.port : 0;
}

/** Starts Xvfb on the first free display; resolves once it is ready (it writes the display number to fd 3). */
async function startXvfb(): Promise<{ display: string; process: ChildProcess }> {
  const xvfb = spawn(XVFB, ['-displayfd', '3', '-screen', '0', '1280x1024x24', '-nolisten', 'tcp'], {
    stdio: ['ignore', 'ignore', 'ignore', 'pipe'],
  });
  const display = await new Promise<string>((resolve, reject) => {
    let text = '';
    xvfb.stdio[3]!.on('data', (chunk: Buffer) => {
      text += chunk.toString();
      if (text.includes('\n')) resolve(`:${text.trim()}`);
    });
    xvfb.once('exit', (code) => reject(new Error(`Xvfb exited (${code}) before it was ready`)));
    xvfb.once('error', reject);
  });
  return { display, process: xvfb };
}

async function untilListening(port: number, driver: ChildProcess): Promise<void> {
  const deadline = Date.now() + 10_000;
  while (Date.now() < deadline) {
    if (driver.exitCode !== null) throw new Error(`WebKitWebDriver exited (${driver.exitCode})`);
    const up = await fetch(`http://127.0.0.1:${port}/status`).then(
      (response) => response.ok,
      () => false,
    );
    if (up) return;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  throw new Error(`WebKitWebDriver did not listen on port ${port} within 10 s`);
}

function stopProcess(child: ChildProcess | undefined): Promise<void> {
  if (!child || child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
  return new Promise((resolve) => {
    child.once('exit', () => resolve());
    child.kill('SIGTERM');
  });
}

/** WebKitWebDriver on a free port, with a display for MiniBrowser: the machine's, or a private Xvfb. */
export async function startWebKitDriver(): Promise<WebKitDriver> {
  const existing = process.env['DISPLAY'];
  const xvfb = existing ? undefined : await startXvfb();
  const display = existing ?? xvfb!.display;
  const port = await freePort();
  // MiniBrowser's stderr (GStreamer, ALSA and D-Bus chatter on a headless machine) says nothing about the tests.
  const driver = spawn(WEBKIT_WEBDRIVER, [`--port=${port}`], {
    stdio: 'ignore',
    env: { ...process.env, DISPLAY: display },
  });
  try {
    await untilListening(port, driver);
  } catch (error) {
    await stopProcess(driver);
    await stopProcess(xvfb?.process);
    throw error;
  }
  return {
    port,
    display,
    stop: async () => {
      await stopProcess(driver);
      await stopProcess(xvfb?.process);
    },
  };
}
