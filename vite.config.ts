import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vite';
import { gzipBudget } from './scripts/bundle-budget.ts';
import { bufferShim } from './scripts/buffer-shim-check.ts';
import { precompress } from './scripts/precompress.ts';

/**
 * One self-contained classic script: IIFE (not UMD, which trips over the AMD `define` many CMS pages
 * carry), minified, with Lit and the Anam SDK inside; brotli and gzip copies are written beside it for
 * the server to send as they are. The SDK's `buffer` import gets our small shim instead of the 27 KB
 * polyfill, and the build fails if the script outgrows its gzip budget.
 */
export default defineConfig({
  publicDir: false,
  plugins: [
    bufferShim(fileURLToPath(new URL('widget/buffer-shim.ts', import.meta.url))),
    gzipBudget('anam-persona.js'),
    precompress(),
  ],
  build: {
    outDir: 'dist',
    emptyOutDir: true,
    sourcemap: true,
    minify: true,
    target: 'es2021',
    lib: {
      entry: 'widget/index.ts',
      formats: ['iife'],
      name: 'AnamPersonaBundle',
      fileName: () => 'anam-persona.js',
    },
  },
});
