import puppeteer, { type Browser } from 'puppeteer-core';
import { CHROMIUM_TEST_FLAGS, FIREFOX_TEST_PREFS, findBrowser } from '../../scripts/find-browser.ts';

/** The engines the end-to-end suite runs in (WebKit here has no WebRTC: it cannot hold a call). */
export type E2eEngine = 'chromium' | 'firefox';

/** The switch: E2E_BROWSER=chromium|firefox (npm run test:e2e runs the suite once in each). */
export const E2E_ENGINE = readEngine(process.env['E2E_BROWSER']);

function readEngine(value: string | undefined): E2eEngine {
  if (value === undefined || value === 'chromium') return 'chromium';
  if (value === 'firefox') return 'firefox';
  throw new Error(`E2E_BROWSER=${value}: use chromium or firefox.`);
}

/**
 * For node:test's `skip` option: the reason a test cannot run in this run's engine, or false. A test that
 * cannot run somewhere says why here, so every other test runs in every engine.
 */
export function notIn(engines: E2eEngine[], reason: string): string | false {
  return engines.includes(E2E_ENGINE) ? `not in ${E2E_ENGINE}: ${reason}` : false;
}

/** The one place an end-to-end browser is launched: Chromium over CDP, or Firefox over WebDriver BiDi. */
export async function launchTestBrowser(): Promise<Browser> {
  if (E2E_ENGINE === 'firefox') {
    return puppeteer.launch({
      browser: 'firefox',
      executablePath: findBrowser('firefox'),
      headless: true,
      extraPrefsFirefox: FIREFOX_TEST_PREFS,
    });
  }
  return puppeteer.launch({ executablePath: findBrowser('chromium'), headless: true, args: CHROMIUM_TEST_FLAGS });
}
