import { parseSync } from 'vite';
import type { TextEdit } from './edit-source-map.ts';

/**
 * The SDK's classes keep their state and helpers under long names (`this.iceRestartEpisodeStartMs`,
 * `this.connectionEstablishedMilestoneRecorded`, `this.initPeerConnectionAndSendOffer()`), which a minifier
 * never shortens: property names can be read from anywhere. In the bundled SDK (one module) they provably
 * are not when a name is only ever
 *   - read or written as `this.NAME` inside a class's own methods or fields (a class that extends nothing:
 *     an Error subclass's `this.message` is the Error's), or
 *   - declared as a member of such a class,
 * and nowhere else: no `other.NAME`, no object key, no string or template text naming it, no `this[…]` in
 * the SDK at all, not a name the runtime calls by itself (`then`, `toJSON`, `handleEvent`…), and not a word
 * of the widget's sources (`mentionedOutside`), which is all that ever touches the SDK's objects. Those
 * names become short ones (`$0`, `$1`…), the same everywhere, as a property mangler would with a list of
 * private names checked instead of guessed (about 1,300 bytes gzip).
 */

interface Node {
  type: string;
  start: number;
  end: number;
  [key: string]: unknown;
}

/** Names the runtime itself looks up on objects: never renamed. */
const CALLED_BY_NAME = new Set(['constructor', 'then', 'toJSON', 'toString', 'valueOf', 'handleEvent', 'prototype']);
const FUNCTIONS = new Set(['FunctionDeclaration', 'FunctionExpression']);
const CLASSES = new Set(['ClassDeclaration', 'ClassExpression']);

const isNode = (value: unknown): value is Node =>
  typeof value === 'object' && value !== null && typeof (value as Node).type === 'string';

function walk(node: Node, visit: (node: Node, ancestors: readonly Node[]) => void, ancestors: Node[] = []): void {
  visit(node, ancestors);
  ancestors.push(node);
  for (const [key, value] of Object.entries(node)) {
    if (key === 'parent') continue;
    for (const child of Array.isArray(value) ? value : [value]) if (isNode(child)) walk(child, visit, ancestors);
  }
  ancestors.pop();
}

/** The class whose instance (or constructor) `this` means at the end of `ancestors`, if it is one that extends nothing. */
function thisClass(ancestors: readonly Node[]): Node | undefined {
  for (let index = ancestors.length - 1; index >= 0; index--) {
    const node = ancestors[index]!;
    const member = ancestors[index - 1];
    const inClassMember =
      (FUNCTIONS.has(node.type) && member?.type === 'MethodDefinition' && member.value === node) ||
      node.type === 'PropertyDefinition' ||
      node.type === 'StaticBlock';
    if (inClassMember) {
      const owner = ancestors[(FUNCTIONS.has(node.type) ? index - 1 : index) - 2];
      return owner && CLASSES.has(owner.type) && !owner.superClass ? owner : undefined;
    }
    if (FUNCTIONS.has(node.type)) return undefined;
  }
  return undefined;
}

const keyName = (node: Node) => (node.type === 'Identifier' ? (node.name as string) : undefined);

/** The renames, as edits of `code` (the bundled SDK), and the names renamed. */
export function sdkPrivateNameEdits(
  code: string,
  mentionedOutside: (name: string) => boolean,
): { edits: TextEdit[]; renamed: Map<string, string> } {
  const { program, errors } = parseSync('sdk.js', code);
  if (errors.length > 0) throw new Error(`sdk.js: ${errors[0]!.message}`);
  const uses = new Map<string, Node[]>();
  const seen = new Set<string>();
  const blocked = new Set<string>();
  const block = (name: unknown) => typeof name === 'string' && blocked.add(name);
  walk(program as unknown as Node, (node, ancestors) => {
    if (node.type === 'MemberExpression') {
      const property = node.property as Node;
      if (node.computed) {
        if ((node.object as Node).type === 'ThisExpression')
          throw new Error('sdk.js: this[…] in the SDK: review scripts/sdk-private-names.ts');
        if (property.type === 'Literal') block(property.value);
        return;
      }
      const name = keyName(property)!;
      seen.add(name);
      if ((node.object as Node).type === 'ThisExpression' && thisClass([...ancestors, node]))
        uses.set(name, [...(uses.get(name) ?? []), property]);
      else block(name);
    } else if (node.type === 'MethodDefinition' || node.type === 'PropertyDefinition') {
      const key = node.key as Node;
      const owner = ancestors.at(-2);
      if (node.computed) block(key.type === 'Literal' ? key.value : undefined);
      else if (owner && CLASSES.has(owner.type) && !owner.superClass && keyName(key)) {
        seen.add(keyName(key)!);
        uses.set(keyName(key)!, [...(uses.get(keyName(key)!) ?? []), key]);
      } else block(keyName(key) ?? key.value);
    } else if (node.type === 'Property' || node.type === 'ExportSpecifier' || node.type === 'ImportSpecifier') {
      for (const part of ['key', 'local', 'exported', 'imported']) {
        const named = node[part] as Node | undefined;
        if (named) block(keyName(named) ?? named.value);
      }
    } else if (node.type === 'Literal' && typeof node.value === 'string') {
      block(node.value);
    } else if (node.type === 'TemplateElement') {
      for (const word of (node.value as { raw: string }).raw.match(/[\w$]+/g) ?? []) block(word);
    }
  });

  const names = [...uses.keys()]
    .filter((name) => !blocked.has(name) && !CALLED_BY_NAME.has(name) && name.length > 2 && !mentionedOutside(name))
    .sort((a, b) => uses.get(b)!.length * b.length - uses.get(a)!.length * a.length);
  const renamed = new Map<string, string>();
  let counter = 0;
  for (const name of names) {
    let short: string;
    do short = `$${(counter++).toString(36)}`;
    while (seen.has(short) || blocked.has(short) || mentionedOutside(short));
    renamed.set(name, short);
  }
  const edits = names.flatMap((name) =>
    uses.get(name)!.map((node) => ({ start: node.start, end: node.end, text: renamed.get(name)! })),
  );
  return { edits: edits.sort((a, b) => a.start - b.start), renamed };
}
