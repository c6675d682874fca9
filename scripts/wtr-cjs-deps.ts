import { createRequire } from 'node:module';
import { build } from 'esbuild';

const require = createRequire(import.meta.url);

/** CommonJS packages the SDK imports by name; the browser gets an ES module built from each. */
const COMMONJS_DEPENDENCIES = ['buffer'];
const SERVED_PREFIX = '/__cjs-deps/';

/**
 * A @web/dev-server plugin that serves CommonJS dependencies as ES modules, so the real
 * @anam-ai/js-sdk runs unbundled in browser tests (the dev server only speaks ESM).
 */
export function commonjsDependencies() {
  const built = new Map<string, string>();
  return {
    name: 'commonjs-dependencies',
    resolveImport({ source }: { source: string }) {
      return COMMONJS_DEPENDENCIES.includes(source) ? `${SERVED_PREFIX}${source}.js` : undefined;
    },
    async serve(context: { path: string }) {
      if (!context.path.startsWith(SERVED_PREFIX)) return undefined;
      const name = context.path.slice(SERVED_PREFIX.length, -'.js'.length);
      if (!COMMONJS_DEPENDENCIES.includes(name)) return undefined;
      let body = built.get(name);
      if (!body) {
        const result = await build({
          // `export *` loses a CommonJS module's names in esbuild's ESM output: name them.
          stdin: { contents: reexportSource(name), resolveDir: process.cwd() },
          bundle: true,
          format: 'esm',
          write: false,
          platform: 'browser',
        });
        body = result.outputFiles[0]!.text;
        built.set(name, body);
      }
      return { body, type: 'js' };
    },
  };
}

function reexportSource(name: string): string {
  const exportNames = Object.keys(require(name) as object).filter((key) => /^[A-Za-z_$][\w$]*$/.test(key));
  return `export { ${exportNames.join(', ')} } from '${name}';\nexport { default } from '${name}';`;
}
