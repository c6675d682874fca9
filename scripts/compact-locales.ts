import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseSync, type Plugin } from 'vite';

/**
 * The built-in translations (widget/locales/*.ts) repeat every label's key in each language. In the
 * bundle each becomes a plain array of its strings in the order of English's keys (widget/labels.ts), and
 * labels.ts turns them back into objects with those keys (`inflateLabels`) where it imports them. The
 * sources stay readable objects, checked by TypeScript; the build stops on anything it cannot map exactly.
 */

interface Node {
  type: string;
  start: number;
  end: number;
  [key: string]: unknown;
}

function parse(file: string, code: string): Node {
  const { program, errors } = parseSync(file, code);
  if (errors.length > 0) throw new Error(`${file}: ${errors[0]!.message}`);
  return program as unknown as Node;
}

const keyName = (property: Node) => {
  const key = property.key as Node;
  return key.type === 'Identifier' ? (key.name as string) : String(key.value);
};

/** The object literal of `const <name>: Labels = { … }` at the top level of `program`. */
function labelsObject(program: Node, file: string, name?: string): { name: string; object: Node } {
  for (const statement of program.body as Node[]) {
    const declaration = (statement.type === 'ExportNamedDeclaration' ? statement.declaration : statement) as Node | null;
    if (declaration?.type !== 'VariableDeclaration') continue;
    for (const declarator of declaration.declarations as Node[]) {
      const id = declarator.id as Node;
      const init = declarator.init as Node | null;
      if (init?.type === 'ObjectExpression' && (name === undefined || id.name === name))
        return { name: id.name as string, object: init };
    }
  }
  throw new Error(`${file}: no \`const ${name ?? '<language>'}: Labels = { … }\` found for compact-locales`);
}

/** The keys of English's labels (`const en` in widget/labels.ts), in order. */
export function labelKeys(labelsSource: string): string[] {
  const { object } = labelsObject(parse('labels.ts', labelsSource), 'widget/labels.ts', 'en');
  return (object.properties as Node[]).map(keyName);
}

/** A locale module with its labels object as an array of strings in the order of `keys`. */
export function compactLocale(file: string, code: string, keys: readonly string[]): string {
  const { object } = labelsObject(parse(file, code), file);
  const values = new Map<string, string>();
  for (const property of object.properties as Node[]) {
    const value = property.value as Node | undefined;
    const plain = property.type === 'Property' && property.kind === 'init' && !property.computed && !property.method;
    if (!plain || value?.type !== 'Literal' || typeof value.value !== 'string')
      throw new Error(
        `${file}: compact-locales takes only \`key: 'text'\` entries (${code.slice(property.start, property.end)})`,
      );
    values.set(keyName(property), code.slice(value.start, value.end));
  }
  const unknown = [...values.keys()].filter((key) => !keys.includes(key));
  const missing = keys.filter((key) => !values.has(key));
  if (unknown.length > 0 || missing.length > 0)
    throw new Error(`${file}: keys not in English's labels: [${unknown.join(', ')}]; missing: [${missing.join(', ')}]`);
  const array = `[${keys.map((key) => values.get(key)).join(', ')}] as unknown as Labels`;
  return code.slice(0, object.start) + array + code.slice(object.end);
}

/** widget/labels.ts with each use of an imported locale wrapped in `inflateLabels(…)`, which is defined. */
export function inflateLocaleImports(file: string, code: string): string {
  const program = parse(file, code);
  const locales = (program.body as Node[])
    .filter((statement) => statement.type === 'ImportDeclaration' && /\/locales\//.test(String((statement.source as Node).value)))
    .flatMap((statement) => (statement.specifiers as Node[]).map((specifier) => (specifier.local as Node).name as string));
  if (locales.length === 0) return code;
  const edits: Array<{ start: number; end: number; text: string }> = [];
  const visit = (node: Node, parent: Node | undefined) => {
    if (node.type === 'ImportDeclaration') return;
    if (node.type === 'Identifier' && locales.includes(node.name as string)) {
      const name = node.name as string;
      if (parent?.type === 'Property' && parent.shorthand)
        edits.push({ start: node.start, end: node.end, text: `${name}: inflateLabels(${name})` });
      else if (parent?.type === 'Property' && parent.key === node) return;
      else edits.push({ start: node.start, end: node.end, text: `inflateLabels(${name})` });
      return;
    }
    for (const [key, value] of Object.entries(node)) {
      if (key === 'parent') continue;
      for (const child of Array.isArray(value) ? value : [value])
        if (typeof child === 'object' && child !== null && typeof (child as Node).type === 'string') visit(child as Node, node);
    }
  };
  visit(program, undefined);
  let out = code;
  // A shorthand property's key and value are the same identifier: edit it once.
  const unique = [...new Map(edits.map((edit) => [edit.start, edit])).values()];
  for (const edit of unique.sort((a, b) => b.start - a.start)) out = out.slice(0, edit.start) + edit.text + out.slice(edit.end);
  return `${out}
/** A locale the build stored as its strings alone (scripts/compact-locales.ts), with English's keys again. */
function inflateLabels(values: Labels): Labels {
  const strings = values as unknown as string[];
  return Object.fromEntries(Object.keys(en).map((key, index) => [key, strings[index]])) as unknown as Labels;
}
`;
}

/** Vite plugin: compact locales under `widgetFolder`/locales, inflated again in `widgetFolder`/labels.ts. */
export function compactLocales(widgetFolder: string): Plugin {
  const labelsFile = join(widgetFolder, 'labels.ts');
  const localesFolder = join(widgetFolder, 'locales');
  return {
    name: 'anam-compact-locales',
    enforce: 'pre',
    transform(code, id) {
      if (id === labelsFile) return { code: inflateLocaleImports(id, code), map: null };
      if (id.startsWith(localesFolder) && id.endsWith('.ts'))
        return { code: compactLocale(id, code, labelKeys(readFileSync(labelsFile, 'utf8'))), map: null };
      if (id.startsWith(widgetFolder) && /from\s+['"][^'"]*\/locales\//.test(code))
        throw new Error(`${id} imports a locale: only widget/labels.ts may (the build stores locales as arrays).`);
      return undefined;
    },
  };
}
