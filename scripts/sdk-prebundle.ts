import { readFile } from 'node:fs/promises';
import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { build } from 'esbuild';
import type { Plugin } from 'vite';
import { SDK_EXPORTS } from '../widget/sdk-exports.ts';
import { bufferUsesBeyondShim } from './buffer-shim-check.ts';
import { BROWSER_TARGETS } from './browser-targets.ts';
import { reachesLeftOut, settleSdkModule, trimSdkModule, widgetMentions } from './sdk-trim.ts';
import { unlowerSdkModule } from './sdk-unlower.ts';
import { sdkEnumEdits } from './sdk-enums.ts';
import { sdkPrivateNameEdits } from './sdk-private-names.ts';
import { applyEdits, editSourceMap } from './edit-source-map.ts';

const SDK_ENTRY = /[\\/]@anam-ai[\\/]js-sdk[\\/]dist[\\/]module[\\/]index\.js$/;
const SDK_MODULE = /[\\/]@anam-ai[\\/]js-sdk[\\/]dist[\\/]module[\\/](.*\.js)$/;

export interface SdkPrebundleOptions {
  /** widget/buffer-shim.ts, for the SDK's `buffer` import. */
  bufferShim: string;
  /** widget/sdk-left-out.ts, what the SDK's left-out parts call (scripts/sdk-trim.ts). */
  leftOutStub: string;
  /** widget/, whose sources must not use a left-out part. */
  widgetFolder: string;
}

/** Every word of the widget's own sources: the SDK's names the widget might read stay as they are. */
function widgetWords(folder: string): Set<string> {
  return new Set(
    (readdirSync(folder, { recursive: true }) as string[])
      .filter((file) => file.endsWith('.ts'))
      .flatMap((file) => readFileSync(join(folder, file), 'utf8').match(/[\w$]+/g) ?? []),
  );
}

/** The widget's own sources that mention a part of the SDK left out of the bundle. */
function widgetUsesOfLeftOut(folder: string): string[] {
  return (readdirSync(folder, { recursive: true }) as string[])
    .filter((file) => file.endsWith('.ts'))
    .flatMap((file) => widgetMentions(readFileSync(join(folder, file), 'utf8')).map((name) => `widget/${file}: ${name}`));
}

/**
 * The bundled SDK (`code`, an ES module ending in `export { … }`) as one function's body, run when the
 * module is evaluated: its hundred top-level names stay local to that function instead of being hoisted
 * into the bundler's lazy-module wrapper, each declared there and assigned inside (about 110 bytes gzip).
 */
function inOneFunction(code: string, map: string): { code: string; map: string } {
  const exports = /export\s*\{([^}]*)\};?\s*$/.exec(code);
  if (!exports || exports[1]!.split(',').some((name) => !/^\s*\w+\s*$/.test(name)))
    throw new Error(
      'The bundled @anam-ai/js-sdk does not end in export { name, … }: revisit inOneFunction in scripts/sdk-prebundle.ts.',
    );
  const names = exports[1]!.split(',').map((name) => name.trim());
  const body = code.slice(0, exports.index);
  const wrapped = `const sdk = (() => {\n${body}return { ${names.join(', ')} };\n})();\nexport const { ${names.join(', ')} } = sdk;\n`;
  // The first line is new: every mapping moves one line down.
  const parsed = JSON.parse(map) as { mappings: string };
  return { code: wrapped, map: JSON.stringify({ ...parsed, mappings: `;${parsed.mappings}` }) };
}

/**
 * Vite plugin: @anam-ai/js-sdk arrives as ONE module, bundled by esbuild with only the exports the
 * widget uses (widget/sdk-exports.ts), `buffer` aliased to our shim, TypeScript's ES2015 output raised
 * back to async/await, object spreads, `?.` and `??` (scripts/sdk-unlower.ts: about 220 bytes gzip), the
 * branches the widget settles cut (scripts/sdk-trim-settled.ts: about 1,200), the parts it never reaches
 * left out (scripts/sdk-trim.ts), its internal string enums read as their values (scripts/sdk-enums.ts:
 * about 1,100 with AnamEvent) and its private member names shortened (scripts/sdk-private-names.ts:
 * about 1,300). The widget imports it dynamically (widget/anam-sdk.ts), and the bundler
 * wraps each lazily evaluated module in an init function: one module instead of the SDK's forty keeps that
 * cost to one wrapper (about 300 bytes gzip), and that module's code inside one function
 * (`inOneFunction`) keeps the wrapper from hoisting its names. The build stops if an SDK file calls Buffer beyond the shim,
 * or if the SDK or the widget reaches a left-out part.
 */
export function prebundleSdk({ bufferShim, leftOutStub, widgetFolder }: SdkPrebundleOptions): Plugin {
  return {
    name: 'anam-sdk-prebundle',
    enforce: 'pre',
    async load(id) {
      if (!SDK_ENTRY.test(id)) return undefined;
      const widgetUses = widgetUsesOfLeftOut(widgetFolder);
      if (widgetUses.length > 0)
        throw new Error(
          `The widget uses parts of @anam-ai/js-sdk that scripts/sdk-trim.ts leaves out: ${widgetUses.join('; ')}. Take them off LEFT_OUT.`,
        );
      const result = await build({
        stdin: {
          contents: `export { ${SDK_EXPORTS.join(', ')} } from './index.js';`,
          resolveDir: dirname(id),
          sourcefile: 'anam-sdk-exports.js',
        },
        bundle: true,
        format: 'esm',
        target: BROWSER_TARGETS,
        write: false,
        outdir: 'sdk-prebundle',
        sourcemap: 'external',
        alias: { buffer: bufferShim },
        plugins: [
          {
            name: 'sdk-checks-and-trim',
            setup(esbuild) {
              esbuild.onLoad({ filter: SDK_MODULE }, async (args) => {
                const code = await readFile(args.path, 'utf8');
                const beyond = /\bfrom\s*['"]buffer['"]/.test(code) ? bufferUsesBeyondShim(code) : [];
                if (beyond.length > 0)
                  throw new Error(
                    `${args.path} uses Buffer beyond widget/buffer-shim.ts: ${beyond.join('; ')}. Implement it in the shim (with a test) and list it in scripts/buffer-shim-check.ts.`,
                  );
                const module = SDK_MODULE.exec(args.path)![1]!;
                const raised = unlowerSdkModule(module, code);
                return { contents: trimSdkModule(module, settleSdkModule(module, raised), leftOutStub), loader: 'js' };
              });
            },
          },
        ],
      });
      const code = result.outputFiles.find((file) => file.path.endsWith('.js'))!.text;
      const map = result.outputFiles.find((file) => file.path.endsWith('.js.map'))!.text;
      const reaching = reachesLeftOut(code);
      if (reaching.length > 0)
        throw new Error(
          `@anam-ai/js-sdk reaches parts scripts/sdk-trim.ts leaves out: ${reaching.join('; ')}. Take them off LEFT_OUT.`,
        );
      const enums = sdkEnumEdits(code);
      const inlined = { code: applyEdits(code, enums), map: editSourceMap(map, code, enums) };
      const words = widgetWords(widgetFolder);
      const { edits } = sdkPrivateNameEdits(inlined.code, (name) => words.has(name));
      return inOneFunction(applyEdits(inlined.code, edits), editSourceMap(inlined.map, inlined.code, edits));
    },
  };
}
