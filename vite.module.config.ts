import { defineConfig } from 'vite';
import { BROWSER_TARGETS } from './scripts/browser-targets.ts';

/**
 * The element class as an ES module for bundler users (`import { AnamPersona } from 'anam-persona'`):
 * it defines no tag, and leaves Lit and the SDK to the user's own bundle.
 */
export default defineConfig({
  publicDir: false,
  build: {
    outDir: 'dist/module',
    emptyOutDir: true,
    sourcemap: true,
    minify: false,
    target: BROWSER_TARGETS,
    lib: { entry: 'widget/anam-persona.ts', formats: ['es'], fileName: () => 'anam-persona.js' },
    rollupOptions: { external: [/^lit(\/.*)?$/, /^@anam-ai\/js-sdk$/] },
  },
});
