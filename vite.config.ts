import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vite';
import { gzipBudget } from './scripts/bundle-budget.ts';
import { bufferShim } from './scripts/buffer-shim-check.ts';
import { compactLocales } from './scripts/compact-locales.ts';
import { minifyCssLiterals } from './scripts/minify-css-literals.ts';
import { minifyHtmlLiterals } from './scripts/minify-html-literals.ts';
import { prebundleSdk } from './scripts/sdk-prebundle.ts';
import { precompress } from './scripts/precompress.ts';
import { terserCompress } from './scripts/terser-compress.ts';
import { BROWSER_TARGETS } from './scripts/browser-targets.ts';

/**
 * One self-contained classic script: IIFE (not UMD, which trips over the AMD `define` many CMS pages
 * carry), minified, with Lit and the Anam SDK inside; brotli and gzip copies are written beside it for
 * the server to send as they are. The SDK's `buffer` import gets our small shim instead of the 27 KB
 * polyfill; the SDK comes as one module (evaluated on a visitor's first start, see widget/anam-sdk.ts)
 * without the parts the widget never reaches (scripts/sdk-trim.ts);
 * Lit's css`…` and html`…` lose their indentation; the translations lose their repeated keys
 * (scripts/compact-locales.ts); terser's compress runs before Vite's minifier; and the build fails if the
 * script outgrows its gzip budget.
 */
const BUFFER_SHIM = fileURLToPath(new URL('widget/buffer-shim.ts', import.meta.url));
const widgetFile = (path: string) => fileURLToPath(new URL(`widget/${path}`, import.meta.url));

export default defineConfig({
  publicDir: false,
  plugins: [
    prebundleSdk({ bufferShim: BUFFER_SHIM, leftOutStub: widgetFile('sdk-left-out.ts'), widgetFolder: widgetFile('') }),
    minifyCssLiterals(fileURLToPath(new URL('widget/', import.meta.url))),
    minifyHtmlLiterals(fileURLToPath(new URL('widget/', import.meta.url))),
    compactLocales(fileURLToPath(new URL('widget/', import.meta.url))),
    bufferShim(BUFFER_SHIM),
    terserCompress('anam-persona.js'),
    gzipBudget('anam-persona.js'),
    precompress(),
  ],
  build: {
    outDir: 'dist',
    emptyOutDir: true,
    sourcemap: true,
    minify: true,
    target: BROWSER_TARGETS,
    lib: {
      entry: 'widget/index.ts',
      formats: ['iife'],
      name: 'AnamPersonaBundle',
      fileName: () => 'anam-persona.js',
    },
  },
});
