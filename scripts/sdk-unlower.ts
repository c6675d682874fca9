import { parseSync } from 'vite';
import { optionalChainEdits } from './sdk-unlower-chains.ts';

/**
 * The SDK ships TypeScript's ES2015 output: every `async` method as `__awaiter(this, …, function* () {…})`
 * (with the helper repeated in each module) and every object spread as `Object.assign(Object.assign({},
 * a), b)`. The README's browsers run the originals natively, so this turns them back into what the SDK's
 * authors wrote: `async`/`await`, `{ ...a, ...b }`, and `?.`/`??` (scripts/sdk-unlower-chains.ts). Only the exact shapes TypeScript emits are rewritten;
 * anything else (a generator taking parameters, `arguments` inside, `yield*`) is left as it is, helper and all.
 */

interface Node {
  type: string;
  start: number;
  end: number;
  [key: string]: unknown;
}

interface Edit {
  start: number;
  end: number;
  /** The replacement text; `inner(start, end)` is the original text of a range with the edits inside it applied. */
  render: (inner: (start: number, end: number) => string) => string;
}

const isNode = (value: unknown): value is Node =>
  typeof value === 'object' && value !== null && typeof (value as Node).type === 'string';

function children(node: Node): Node[] {
  return Object.entries(node).flatMap(([key, value]) =>
    key === 'parent' ? [] : (Array.isArray(value) ? value : [value]).filter(isNode),
  );
}

/** Every node under `node` that belongs to the same function (nested functions' own nodes left out). */
function* ownDescendants(node: Node, keepArrows = false): Generator<Node> {
  for (const child of children(node)) {
    yield child;
    const ownScope = child.type === 'FunctionExpression' || child.type === 'FunctionDeclaration';
    if (ownScope || (child.type === 'ArrowFunctionExpression' && !keepArrows)) continue;
    yield* ownDescendants(child, keepArrows);
  }
}

const isIdentifier = (node: unknown, name: string) => isNode(node) && node.type === 'Identifier' && node.name === name;
const isVoid0 = (node: unknown) => isNode(node) && node.type === 'UnaryExpression' && node.operator === 'void';

/** The generator of `__awaiter(this, void 0, void 0, function* () {…})`, if `node` is exactly that. */
function awaiterGenerator(node: unknown): Node | undefined {
  if (!isNode(node) || node.type !== 'CallExpression' || !isIdentifier(node.callee, '__awaiter')) return undefined;
  const [self, args, promise, generator] = node.arguments as Node[];
  if (!self || (self.type !== 'ThisExpression' && !isVoid0(self)) || !isVoid0(args) || !isVoid0(promise)) return undefined;
  if (generator?.type !== 'FunctionExpression' || !generator.generator || (generator.params as Node[]).length > 0)
    return undefined;
  // `arguments` would name the generator's (empty) arguments, also from an arrow inside it; with `void 0`
  // for `this` (TypeScript's top level), the generator's `this` is undefined, the async function's might not be.
  for (const inner of ownDescendants(generator.body as Node, true)) {
    if (isIdentifier(inner, 'arguments')) return undefined;
    if (inner.type === 'ThisExpression' && self.type !== 'ThisExpression') return undefined;
    if (inner.type === 'YieldExpression' && inner.delegate) return undefined;
  }
  return generator;
}

/** Operands `await` can take without parentheses. */
const AWAIT_OPERANDS = new Set([
  'CallExpression',
  'MemberExpression',
  'Identifier',
  'ParenthesizedExpression',
  'NewExpression',
  'ThisExpression',
  'Literal',
  'TemplateLiteral',
  'ArrayExpression',
  'ObjectExpression',
  'ChainExpression',
]);

/** Edits turning the generator's body into an async body: `{ …yield x… }` → `{ …await x… }`. */
function asyncBody(generator: Node, edits: Edit[]): (inner: (start: number, end: number) => string) => string {
  const body = generator.body as Node;
  for (const node of ownDescendants(body)) {
    if (node.type !== 'YieldExpression') continue;
    const argument = node.argument as Node | null;
    if (!argument) edits.push({ start: node.start, end: node.end, render: () => 'await undefined' });
    else if (AWAIT_OPERANDS.has(argument.type)) edits.push({ start: node.start, end: node.start + 5, render: () => 'await' });
    else
      edits.push({
        start: node.start,
        end: node.end,
        render: (inner) => `await (${inner(argument.start, argument.end)})`,
      });
  }
  return (inner) => inner(body.start, body.end);
}

/** `Object.assign(Object.assign({ a }, b), { c })`: the object literal and the sources, innermost first. */
function objectAssignChain(node: Node): Node[] | undefined {
  if (node.type !== 'CallExpression') return undefined;
  const callee = node.callee as Node;
  if (callee.type !== 'MemberExpression' || !isIdentifier(callee.object, 'Object') || !isIdentifier(callee.property, 'assign'))
    return undefined;
  const [target, ...sources] = node.arguments as Node[];
  if (!target || sources.some((source) => source.type === 'SpreadElement')) return undefined;
  const inner = objectAssignChain(target);
  if (inner) return [...inner, ...sources];
  return target.type === 'ObjectExpression' ? [target, ...sources] : undefined;
}

/** An object literal whose properties can be copied into another literal as written. */
const plainObject = (node: Node) =>
  node.type === 'ObjectExpression' &&
  (node.properties as Node[]).every(
    (property) =>
      property.type === 'SpreadElement' ||
      (property.kind === 'init' &&
        !property.method &&
        !property.computed &&
        !isIdentifier(property.key, '__proto__') &&
        !(isNode(property.key) && property.key.type === 'Literal' && property.key.value === '__proto__')),
  );

function collectEdits(program: Node): { edits: Edit[]; helper?: Node } {
  const edits: Edit[] = [];
  let helper: Node | undefined;
  const visit = (node: Node) => {
    // The helper's own declaration: `var __awaiter = (this && this.__awaiter) || function (…) {…};`
    if (node.type === 'VariableDeclaration' && (node.declarations as Node[]).some((d) => isIdentifier(d.id, '__awaiter')))
      helper = node;
    // method() { return __awaiter(…) }   and   function f() { return __awaiter(…) }
    const method = node.type === 'MethodDefinition' || (node.type === 'Property' && node.method === true);
    const plainFunction =
      (node.type === 'FunctionDeclaration' || node.type === 'FunctionExpression') &&
      !(isNode(node.parent) && (node.parent.type === 'MethodDefinition' || node.parent.type === 'Property'));
    if (method || plainFunction) {
      const fn = (method ? node.value : node) as Node;
      const statements = ((fn.body as Node | null)?.body as Node[] | undefined) ?? [];
      const only = statements.length === 1 && statements[0]!.type === 'ReturnStatement' ? statements[0]!.argument : undefined;
      const generator = awaiterGenerator(only);
      const plainMethod = !method || (!node.computed && (node.kind === 'method' || node.kind === 'init'));
      if (generator && !fn.async && !fn.generator && plainMethod) {
        const head = method ? (node.key as Node).start : node.start;
        const body = asyncBody(generator, edits);
        edits.push({
          start: head,
          end: fn.end,
          render: (inner) => `async ${inner(head, (fn.body as Node).start)}${body(inner)}`,
        });
      }
    }
    // () => __awaiter(…)
    if (node.type === 'ArrowFunctionExpression' && !node.async) {
      const generator = awaiterGenerator(node.body);
      if (generator) {
        const body = asyncBody(generator, edits);
        const arrowBody = node.body as Node;
        edits.push({
          start: node.start,
          end: node.end,
          render: (inner) => `async ${inner(node.start, arrowBody.start)}${body(inner)}`,
        });
      }
    }
    const chain = objectAssignChain(node);
    if (chain && !(isNode(node.parent) && objectAssignChain(node.parent as Node))) {
      edits.push({
        start: node.start,
        end: node.end,
        render: (inner) => {
          const parts = chain.flatMap((part) => {
            if (plainObject(part)) return (part.properties as Node[]).map((property) => inner(property.start, property.end));
            return [`...${inner(part.start, part.end)}`];
          });
          return `{ ${parts.join(', ')} }`;
        },
      });
    }
    for (const child of children(node)) {
      child.parent = node;
      visit(child);
    }
  };
  visit(program);
  edits.push(...optionalChainEdits(program));
  return helper ? { edits, helper } : { edits };
}

/** `code` with the edits applied, inner edits rendered into their outer ones. */
function apply(code: string, edits: Edit[], start: number, end: number): string {
  const inside = edits
    .filter((edit) => edit.start >= start && edit.end <= end)
    .sort((a, b) => a.start - b.start || b.end - a.end);
  let out = '';
  let position = start;
  for (const edit of inside) {
    if (edit.start < position) continue;
    const rest = edits.filter((other) => other !== edit);
    out += code.slice(position, edit.start) + edit.render((from, to) => apply(code, rest, from, to));
    position = edit.end;
  }
  return out + code.slice(position, end);
}

/** `code` (an SDK module) with TypeScript's down-levelled async functions and object spreads raised back. */
export function unlowerSdkModule(file: string, code: string): string {
  const { program, errors } = parseSync(file, code);
  if (errors.length > 0) throw new Error(`${file}: ${errors[0]!.message}`);
  const { edits, helper } = collectEdits(program as unknown as Node);
  if (edits.length === 0) return code;
  let out = apply(code, edits, 0, code.length);
  if (helper && !/\b__awaiter\(/.test(out.replace(code.slice(helper.start, helper.end), '')))
    out = out.replace(code.slice(helper.start, helper.end), '');
  return out;
}
