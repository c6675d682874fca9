import { defineConfig } from 'vite';

/**
 * One self-contained classic script: IIFE (not UMD, which trips over the AMD `define` many CMS pages
 * carry), minified, with Lit, the Anam SDK and its `buffer` dependency inside.
 */
export default defineConfig({
  publicDir: false,
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
