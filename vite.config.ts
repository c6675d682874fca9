import { defineConfig } from 'vite';
import { precompress } from './scripts/precompress.ts';

/**
 * One self-contained classic script: IIFE (not UMD, which trips over the AMD `define` many CMS pages
 * carry), minified, with Lit, the Anam SDK and its `buffer` dependency inside; brotli and gzip copies
 * are written beside it for the server to send as they are.
 */
export default defineConfig({
  publicDir: false,
  plugins: [precompress()],
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
