// Stands in for the `buffer` package in dist/anam-persona.js (vite.config.ts aliases it here). The SDK
// imports Node's Buffer for two calls only: decoding the session token's payload,
// `Buffer.from(b64, 'base64').toString('utf8')`, and measuring a tag, `Buffer.byteLength(s, 'utf8')`.
// The polyfill costs every page ~27 KB for them. Anything else throws, naming the method, so a future
// SDK that needs more fails loudly (and `scripts/buffer-shim-check.ts` stops the build before that).

function unsupported(what: string): Error {
  return new Error(`${what}: not in anam-persona's buffer shim`);
}

function requireUtf8(method: string, encoding: string | undefined): void {
  if (encoding !== undefined && !/^utf-?8$/i.test(encoding)) throw unsupported(`${method} with encoding '${encoding}'`);
}

/** Throws on any string property the target lacks, instead of quietly handing back `undefined`. */
function strict<T extends object>(target: T, name: string): T {
  return new Proxy(target, {
    get(object, key, receiver) {
      if (typeof key === 'string' && !(key in object)) throw unsupported(`${name}.${key}`);
      return Reflect.get(object, key, receiver) as unknown;
    },
  });
}

/**
 * Base64, standard or URL-safe, padded or not, as Node reads it: characters outside both alphabets
 * (whitespace, line breaks) are skipped and decoding stops at the first `=`.
 */
function base64ToBytes(text: string): Uint8Array {
  const cleaned = text
    .split('=')[0]!
    .replace(/[^A-Za-z0-9+/_-]/g, '')
    .replace(/-/g, '+')
    .replace(/_/g, '/');
  // A lone trailing character carries fewer than 8 bits: Node drops it, atob would throw.
  const usable = cleaned.length % 4 === 1 ? cleaned.slice(0, -1) : cleaned;
  const binary = atob(usable);
  return Uint8Array.from(binary, (char) => char.charCodeAt(0));
}

/** The decoded bytes, read back as UTF-8 text: malformed sequences become U+FFFD, as with Node's Buffer. */
function decodedBytes(bytes: Uint8Array) {
  return {
    toString(encoding?: string): string {
      requireUtf8('buf.toString', encoding);
      return new TextDecoder().decode(bytes);
    },
  };
}

export const Buffer = strict(
  {
    from(value: unknown, encoding?: string): ReturnType<typeof decodedBytes> {
      if (typeof value !== 'string' || encoding !== 'base64') throw unsupported(`Buffer.from(${typeof value}, ${encoding})`);
      return strict(decodedBytes(base64ToBytes(value)), 'buf');
    },

    /** Bytes of `text` in UTF-8 (a lone surrogate counts as U+FFFD's three, as in Node). */
    byteLength(text: unknown, encoding?: string): number {
      if (typeof text !== 'string') throw unsupported('Buffer.byteLength of a non-string');
      requireUtf8('Buffer.byteLength', encoding);
      return new TextEncoder().encode(text).length;
    },
  },
  'Buffer',
);
