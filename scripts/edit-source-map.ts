import { decode, encode, type SourceMapSegment } from '@jridgewell/sourcemap-codec';

export interface TextEdit {
  start: number;
  end: number;
  text: string;
}

/** `code` with `edits` (sorted by start, not overlapping) applied. */
export function applyEdits(code: string, edits: readonly TextEdit[]): string {
  let out = '';
  let position = 0;
  for (const edit of edits) {
    out += code.slice(position, edit.start) + edit.text;
    position = edit.end;
  }
  return out + code.slice(position);
}

const lineStarts = (code: string) => [0, ...[...code.matchAll(/\n/g)].map((match) => match.index + 1)];

/**
 * The source map `map` (JSON, for `code`) moved onto `applyEdits(code, edits)`: every mapping outside an
 * edit keeps its place in the edited text, a mapping at an edit's start now marks its replacement, and
 * mappings inside an edit go with the text they marked.
 */
export function editSourceMap(map: string, code: string, edits: readonly TextEdit[]): string {
  const parsed = JSON.parse(map) as { mappings: string };
  const oldStarts = lineStarts(code);
  const newStarts = lineStarts(applyEdits(code, edits));
  const lines: SourceMapSegment[][] = newStarts.map(() => []);
  let edit = 0;
  let shift = 0;
  decode(parsed.mappings).forEach((segments, line) => {
    for (const segment of segments) {
      const offset = oldStarts[line]! + segment[0];
      while (edit < edits.length && edits[edit]!.end <= offset && edits[edit]!.start < offset) {
        shift += edits[edit]!.text.length - (edits[edit]!.end - edits[edit]!.start);
        edit++;
      }
      const inside = edit < edits.length && edits[edit]!.start < offset && offset < edits[edit]!.end;
      if (inside) continue;
      const moved = offset + shift;
      let newLine = Math.min(line, newStarts.length - 1);
      while (newLine + 1 < newStarts.length && newStarts[newLine + 1]! <= moved) newLine++;
      while (newLine > 0 && newStarts[newLine]! > moved) newLine--;
      lines[newLine]!.push([moved - newStarts[newLine]!, ...segment.slice(1)] as SourceMapSegment);
    }
  });
  return JSON.stringify({ ...parsed, mappings: encode(lines) });
}
