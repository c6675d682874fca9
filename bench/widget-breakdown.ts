// Which inputs the built script's bytes come from, read from its source map: each mapped span of the
// minified output counts for the source it came from, so the figures are bytes as shipped.
import { readFileSync } from 'node:fs';
import { decode } from '@jridgewell/sourcemap-codec';

export interface InputShare {
  input: string;
  bytes: number;
}

/** `node_modules/@scope/pkg/…` → `@scope/pkg`; our own files keep their path (`widget/labels.ts`). */
function inputName(source: string): string {
  const dependency = /node_modules\/((?:@[^/]+\/)?[^/]+)\//.exec(source);
  return dependency ? dependency[1]! : source.replace(/^(\.\.\/)+/, '');
}

/** Bytes of `file` per input (dependency package or own source file), largest first. */
export function breakdown(file: string): InputShare[] {
  const lines = readFileSync(file, 'utf8').split('\n');
  const map = JSON.parse(readFileSync(`${file}.map`, 'utf8')) as { sources: string[]; mappings: string };
  const bytes = new Map<string, number>();
  decode(map.mappings).forEach((segments, lineIndex) => {
    const line = lines[lineIndex] ?? '';
    segments.forEach((segment, index) => {
      const end = segments[index + 1]?.[0] ?? line.length;
      const input = segment.length > 1 ? inputName(map.sources[segment[1]!]!) : '(unmapped: bundler helpers)';
      bytes.set(input, (bytes.get(input) ?? 0) + Buffer.byteLength(line.slice(segment[0], end)));
    });
  });
  return [...bytes].map(([input, size]) => ({ input, bytes: size })).sort((a, b) => b.bytes - a.bytes);
}
