import { parseSync, type Plugin } from 'vite';

const TAGS = new Set(['html', 'svg']);

/**
 * A Lit template's static text with each run of whitespace that holds a line break (indentation between
 * tags and attributes) as one space: what HTML renders anyway. Elements whose text keeps its whitespace
 * (`<pre>`, `<textarea>` with content, `<listing>`) are refused rather than changed.
 */
export function collapseTemplateWhitespace(text: string): string {
  if (/<(pre|listing)\b|<textarea\b[^>]*>(?!<\/textarea>)/i.test(text))
    throw new Error(`a template keeps its whitespace here; leave it out of minify-html-literals: ${text.slice(0, 60)}`);
  return text.replace(/[ \t]*\n\s*/g, ' ');
}

interface Node {
  type: string;
  start: number;
  end: number;
  [key: string]: unknown;
}

function* templateTexts(node: unknown): Generator<Node> {
  if (Array.isArray(node)) {
    for (const child of node) yield* templateTexts(child);
    return;
  }
  if (typeof node !== 'object' || node === null || typeof (node as Node).type !== 'string') return;
  const current = node as Node;
  const tag = current.tag as Node | undefined;
  if (current.type === 'TaggedTemplateExpression' && tag?.type === 'Identifier' && TAGS.has(tag.name as string))
    yield* ((current.quasi as Node).quasis as Node[]).values();
  for (const value of Object.values(current)) yield* templateTexts(value);
}

/** `code` (a TypeScript module) with the static text of its html`…` and svg`…` templates collapsed. */
export function minifyHtmlTemplates(file: string, code: string): string {
  const { program, errors } = parseSync(file, code);
  if (errors.length > 0) throw new Error(`${file}: ${errors[0]!.message}`);
  let out = code;
  const texts = [...templateTexts(program)].sort((a, b) => b.start - a.start);
  for (const text of texts)
    out = out.slice(0, text.start) + collapseTemplateWhitespace(out.slice(text.start, text.end)) + out.slice(text.end);
  return out;
}

/**
 * Vite plugin: Lit's html`…` and svg`…` templates in the files under `folder` lose the line breaks and
 * indentation between their tags (the source map of the rest of such a file shifts by the lines removed).
 */
export function minifyHtmlLiterals(folder: string): Plugin {
  return {
    name: 'anam-minify-html-literals',
    enforce: 'pre',
    transform(code, id) {
      if (!id.startsWith(folder) || !id.endsWith('.ts') || !/\b(html|svg)`/.test(code)) return undefined;
      return { code: minifyHtmlTemplates(id, code), map: null };
    },
  };
}
