import { execFileSync } from 'node:child_process';
import { accessSync, constants, existsSync, readdirSync } from 'node:fs';

/** The engines the tests run in: Chromium and Firefox for everything, WebKit for the component tests. */
export type Engine = 'chromium' | 'firefox' | 'webkit';
export const ENGINES: readonly Engine[] = ['chromium', 'firefox', 'webkit'];

interface EngineSpec {
  label: string;
  /** Overrides the search: a path to the executable. */
  envVar: string;
  paths: () => string[];
  /** Debian packages that provide it (and what driving it needs). */
  aptPackages: string[];
}

/** WebKitGTK's MiniBrowser lives in the versioned library directory (webkit2gtk-4.0, -4.1, webkitgtk-6.0). */
function miniBrowserPaths(): string[] {
  const roots = ['/usr/lib/x86_64-linux-gnu', '/usr/lib/aarch64-linux-gnu', '/usr/lib'];
  return roots.flatMap((root) => {
    if (!existsSync(root)) return [];
    return readdirSync(root)
      .filter((name) => /^webkit(2)?gtk-[\d.]+$/.test(name))
      .sort()
      .reverse()
      .map((name) => `${root}/${name}/MiniBrowser`);
  });
}

const SPECS: Record<Engine, EngineSpec> = {
  chromium: {
    label: 'Chrome/Chromium',
    envVar: 'CHROME_PATH',
    paths: () => [
      '/usr/bin/chromium',
      '/usr/bin/chromium-browser',
      '/usr/bin/google-chrome',
      '/usr/bin/google-chrome-stable',
      '/snap/bin/chromium',
      '/Applications/Google Chrome.app/Contents/MacOS/Google Chrome',
      '/Applications/Chromium.app/Contents/MacOS/Chromium',
    ],
    aptPackages: ['chromium'],
  },
  firefox: {
    label: 'Firefox',
    envVar: 'FIREFOX_PATH',
    paths: () => ['/usr/bin/firefox-esr', '/usr/bin/firefox', '/Applications/Firefox.app/Contents/MacOS/firefox'],
    aptPackages: ['firefox-esr'],
  },
  webkit: {
    label: "WebKitGTK's MiniBrowser",
    envVar: 'WEBKIT_PATH',
    paths: miniBrowserPaths,
    aptPackages: ['webkit2gtk-driver', 'xvfb'],
  },
};

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

/** What else an engine needs to be driven: WebKit needs its WebDriver and a display (Xvfb when there is none). */
function missingHelpers(engine: Engine): string[] {
  if (engine !== 'webkit') return [];
  const missing: string[] = [];
  if (!isExecutable(WEBKIT_WEBDRIVER)) missing.push(WEBKIT_WEBDRIVER);
  if (!process.env['DISPLAY'] && !isExecutable(XVFB)) missing.push(XVFB);
  return missing;
}

function findInstalled(engine: Engine): string | undefined {
  const spec = SPECS[engine];
  const fromEnv = process.env[spec.envVar];
  if (fromEnv) {
    if (!isExecutable(fromEnv)) throw new Error(`${spec.envVar}=${fromEnv} is not an executable file.`);
    return missingHelpers(engine).length === 0 ? fromEnv : undefined;
  }
  const found = spec.paths().find(isExecutable);
  return found && missingHelpers(engine).length === 0 ? found : undefined;
}

export const WEBKIT_WEBDRIVER = '/usr/bin/WebKitWebDriver';
export const XVFB = '/usr/bin/Xvfb';

/** Finds an engine's executable, or says in one line why not (for a suite to skip or stop on). */
export function locateBrowser(engine: Engine): { path: string } | { missing: string } {
  const spec = SPECS[engine];
  let found = findInstalled(engine);
  if (!found && isDebianRoot()) {
    console.error(`No ${spec.label} found: installing ${spec.aptPackages.join(' ')} with apt-get…`);
    execFileSync('apt-get', ['update'], { stdio: ['ignore', 'ignore', 'inherit'] });
    execFileSync('apt-get', ['install', '-y', ...spec.aptPackages], { stdio: ['ignore', 'ignore', 'inherit'] });
    found = findInstalled(engine);
  }
  if (found) return { path: found };
  const helpers = missingHelpers(engine);
  const what = helpers.length > 0 ? `${helpers.join(' and ')} (needed to drive ${spec.label})` : spec.label;
  const hint = existsSync('/etc/debian_version') ? `apt-get install ${spec.aptPackages.join(' ')}` : spec.label;
  return { missing: `No ${what} found: install ${hint}, or set ${spec.envVar} to its executable.` };
}

/**
 * The engine's executable: its env var (CHROME_PATH, FIREFOX_PATH, WEBKIT_PATH), then the usual paths; on
 * Debian as root with none found, Debian's package is installed. Never a downloaded browser build.
 */
export function findBrowser(engine: Engine = 'chromium'): string {
  const located = locateBrowser(engine);
  if ('missing' in located) throw new Error(located.missing);
  return located.path;
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
  // Headless Chromium preloads its omnibox popup (a WebUI app of dozens of modules) in a renderer of its own
  // for every new window: CPU no page asked for, beside every test page and every measured load.
  '--disable-features=PreloadTopChromeWebUI,WebUIOmniboxPopup,WebUIOmniboxFullPopup,WebUIOmniboxAimPopup',
];

/** Firefox's equivalents: a fake camera and microphone without a prompt, media that plays without a gesture. */
export const FIREFOX_TEST_PREFS: Record<string, unknown> = {
  'media.navigator.streams.fake': true,
  'media.navigator.permission.disabled': true,
  'media.autoplay.default': 0,
  'media.autoplay.blocking_policy': 0,
  // The network here is closed: nothing phones home, nothing waits for it.
  'app.update.enabled': false,
  'browser.safebrowsing.malware.enabled': false,
  'browser.safebrowsing.phishing.enabled': false,
  'network.captive-portal-service.enabled': false,
  'network.connectivity-service.enabled': false,
  'extensions.update.enabled': false,
  'datareporting.policy.dataSubmissionEnabled': false,
  'toolkit.telemetry.enabled': false,
};
