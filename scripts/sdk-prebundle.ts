import { readFile } from 'node:fs/promises';
import { build } from 'esbuild';
import type { Plugin } from 'vite';
import { bufferUsesBeyondShim } from './buffer-shim-check.ts';
import { BROWSER_TARGETS } from './browser-targets.ts';

const SDK_ENTRY = /[\\/]@anam-ai[\\/]js-sdk[\\/]dist[\\/]module[\\/]index\.js$/;

/**
 * Vite plugin: @anam-ai/js-sdk arrives as ONE module, bundled by esbuild with `buffer` aliased to our
 * shim. The widget imports it dynamically (widget/anam-sdk.ts), and the bundler wraps each lazily
 * evaluated module in an init function: one module instead of the SDK's forty keeps that cost to one
 * wrapper (about 300 bytes gzip). The build stops if an SDK file calls Buffer beyond the shim.
 */
export function prebundleSdk(shimPath: string): Plugin {
  return {
    name: 'anam-sdk-prebundle',
    enforce: 'pre',
    async load(id) {
      if (!SDK_ENTRY.test(id)) return undefined;
      const result = await build({
        entryPoints: [id],
        bundle: true,
        format: 'esm',
        target: BROWSER_TARGETS,
        write: false,
        outdir: 'sdk-prebundle',
        sourcemap: 'external',
        alias: { buffer: shimPath },
        plugins: [
          {
            name: 'buffer-shim-check',
            setup(esbuild) {
              esbuild.onLoad({ filter: /js-sdk[\\/].*\.js$/ }, async (args) => {
                const code = await readFile(args.path, 'utf8');
                const beyond = /\bfrom\s*['"]buffer['"]/.test(code) ? bufferUsesBeyondShim(code) : [];
                if (beyond.length > 0)
                  throw new Error(
                    `${args.path} uses Buffer beyond widget/buffer-shim.ts: ${beyond.join('; ')}. Implement it in the shim (with a test) and list it in scripts/buffer-shim-check.ts.`,
                  );
                return { contents: code, loader: 'js' };
              });
            },
          },
        ],
      });
      const code = result.outputFiles.find((file) => file.path.endsWith('.js'))!.text;
      const map = result.outputFiles.find((file) => file.path.endsWith('.js.map'))!.text;
      return { code, map };
    },
  };
}
