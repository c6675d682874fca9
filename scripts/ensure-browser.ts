// Run before the browser tests: finds (or on Debian as root installs) Chromium, or stops with one line.
import { findBrowser } from './find-browser.ts';

try {
  console.log(`browser: ${findBrowser()}`);
} catch (error) {
  console.error((error as Error).message);
  process.exit(1);
}
