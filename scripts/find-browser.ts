import { execFileSync } from 'node:child_process';
import { accessSync, constants, existsSync } from 'node:fs';

/** Where Chrome or Chromium usually lives, in the order we prefer them. */
const USUAL_BROWSER_PATHS = [
  '/usr/bin/chromium',
  '/usr/bin/chromium-browser',
  '/usr/bin/google-chrome',
  '/usr/bin/google-chrome-stable',
  '/snap/bin/chromium',
  '/Applications/Google Chrome.app/Contents/MacOS/Google Chrome',
  '/Applications/Chromium.app/Contents/MacOS/Chromium',
];

function isExecutable(path: string): boolean {
  try {
    accessSync(path, constants.X_OK);
    return true;
  } catch {
    return false;
  }
}

function isDebianRoot(): boolean {
  const isRoot = typeof process.getuid === 'function' && process.getuid() === 0;
  return isRoot && existsSync('/etc/debian_version') && existsSync('/usr/bin/apt-get');
}

function findInstalledBrowser(): string | undefined {
  const fromEnv = process.env['CHROME_PATH'];
  if (fromEnv) {
    if (!isExecutable(fromEnv)) throw new Error(`CHROME_PATH=${fromEnv} is not an executable file.`);
    return fromEnv;
  }
  return USUAL_BROWSER_PATHS.find(isExecutable);
}

/**
 * The Chrome/Chromium the tests run in: CHROME_PATH, then the usual paths; on Debian as root with
 * none found, Debian's chromium is installed. Never a downloaded browser build (none can be fetched here).
 */
export function findBrowser(): string {
  const found = findInstalledBrowser();
  if (found) return found;
  if (isDebianRoot()) {
    console.error("No Chrome/Chromium found: installing Debian's chromium with apt-get…");
    execFileSync('apt-get', ['update'], { stdio: ['ignore', 'ignore', 'inherit'] });
    execFileSync('apt-get', ['install', '-y', 'chromium'], { stdio: ['ignore', 'ignore', 'inherit'] });
    const installed = findInstalledBrowser();
    if (installed) return installed;
  }
  const hint = existsSync('/etc/debian_version') ? 'apt-get install chromium' : 'Chrome or Chromium';
  throw new Error(`No Chrome/Chromium found: install ${hint}, or set CHROME_PATH to its executable.`);
}

/** Flags every test browser needs on this closed network (see README, "Testing"). */
export const CHROMIUM_TEST_FLAGS = [
  '--no-sandbox',
  '--disable-gpu',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--disable-quic',
  '--no-first-run',
  '--allow-loopback-in-peer-connection',
  '--use-fake-ui-for-media-stream',
  '--use-fake-device-for-media-stream',
  '--autoplay-policy=no-user-gesture-required',
];
