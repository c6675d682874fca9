import type { Plugin } from 'vite';

/**
 * The `Buffer` calls widget/buffer-shim.ts implements, written as `method(_, 'encoding')` plus what
 * is chained on the result. Keep in step with the shim and its tests.
 */
export const SHIM_CALLS = new Set([
  "from(_, 'base64').toString('utf8')",
  "from(_, 'base64').toString('utf-8')",
  "byteLength(_, 'utf8')",
  "byteLength(_, 'utf-8')",
  'byteLength(_)',
]);

const IMPORTS_BUFFER = /\bfrom\s*['"]buffer['"]|\brequire\(\s*['"]buffer['"]\s*\)/;
const BUFFER_IMPORT_STATEMENT = /import\s*\{[^}]*\}\s*from\s*['"]buffer['"];?/g;
const BUFFER_NAME = /(?<![\w$.'"])Buffer(?![\w$])/g;
// `Buffer.method(arg, 'enc')` with an optional `.toString('enc')` on the result; simple arguments only.
const CALL = /^Buffer\.(\w+)\([^()]*?(?:,\s*(['"])([\w-]+)\2)?\s*\)(?:\.toString\((['"])([\w-]+)\4\))?/;

/**
 * Every use of `Buffer` in a module's code that the shim does not implement (an unknown method, encoding
 * or chained call, or a use the scan cannot read, such as `new Buffer` or passing `Buffer` around).
 */
export function bufferUsesBeyondShim(code: string): string[] {
  const body = code.replace(BUFFER_IMPORT_STATEMENT, '');
  const beyond: string[] = [];
  for (const match of body.matchAll(BUFFER_NAME)) {
    const rest = body.slice(match.index);
    const call = CALL.exec(rest);
    if (!call) {
      beyond.push(rest.slice(0, 60).split('\n')[0]!.trim());
      continue;
    }
    const [, method, , encoding, , resultEncoding] = call;
    const signature = `${method}(_${encoding ? `, '${encoding}'` : ''})${resultEncoding ? `.toString('${resultEncoding}')` : ''}`;
    if (!SHIM_CALLS.has(signature)) beyond.push(`Buffer.${signature}`);
  }
  return beyond;
}

/**
 * Vite plugin: `buffer` resolves to our shim, and the build stops if a module importing `buffer` (the
 * SDK's AnamClient today) uses Buffer beyond what the shim implements, naming the module and the call.
 */
export function bufferShim(shimPath: string): Plugin {
  return {
    name: 'anam-buffer-shim',
    enforce: 'pre',
    resolveId(source) {
      return source === 'buffer' ? shimPath : undefined;
    },
    transform(code, id) {
      if (!IMPORTS_BUFFER.test(code)) return undefined;
      const beyond = bufferUsesBeyondShim(code);
      if (beyond.length > 0)
        this.error(
          `${id} uses Buffer beyond widget/buffer-shim.ts: ${beyond.join('; ')}. Implement it in the shim (with a test) and list it in scripts/buffer-shim-check.ts.`,
        );
      return undefined;
    },
  };
}
