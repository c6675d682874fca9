/**
 * TypeScript's ES2019 output of `a?.b` and `a ?? b`, raised back (scripts/sdk-unlower.ts applies the edits):
 *
 *   (_a = x.y) === null || _a === void 0 ? void 0 : _a.z(1)   →   x.y?.z(1)
 *   o === null || o === void 0 ? void 0 : o.p                  →   o?.p
 *   (_a = x.y) !== null && _a !== void 0 ? _a : d              →   (x.y ?? d)
 *
 * The README's browsers run both natively (about 220 bytes gzip less). A temporary (`_a`) is only dropped
 * when its function uses it nowhere else, and a chain only when it goes on from the tested value with `.`
 * or `[…]`: `_a(…)` (TypeScript's `f?.()` on a bare value) would call with another `this` as `f?.()`.
 */

export interface ChainNode {
  type: string;
  start: number;
  end: number;
  [key: string]: unknown;
}

export interface ChainEdit {
  start: number;
  end: number;
  render: (inner: (start: number, end: number) => string) => string;
}

const isNode = (value: unknown): value is ChainNode =>
  typeof value === 'object' && value !== null && typeof (value as ChainNode).type === 'string';

function children(node: ChainNode): ChainNode[] {
  return Object.entries(node).flatMap(([key, value]) =>
    key === 'parent' ? [] : (Array.isArray(value) ? value : [value]).filter(isNode),
  );
}

const unparen = (node: ChainNode): ChainNode =>
  node.type === 'ParenthesizedExpression' ? unparen(node.expression as ChainNode) : node;
const identifierName = (node: unknown) => (isNode(node) && node.type === 'Identifier' ? (node.name as string) : undefined);
const isVoid0 = (node: unknown) =>
  isNode(node) &&
  node.type === 'UnaryExpression' &&
  node.operator === 'void' &&
  isNode(node.argument) &&
  node.argument.value === 0;
const isNull = (node: unknown) => isNode(node) && node.type === 'Literal' && node.value === null && node.raw === 'null';

/** `X op null` where X is the temporary or `(_a = value)`: the tested name and, for the second, the value. */
function nullTest(node: unknown, op: string): { name: string; value?: ChainNode; assignment?: ChainNode } | undefined {
  if (!isNode(node) || node.type !== 'BinaryExpression' || node.operator !== op || !isNull(node.right)) return undefined;
  const left = unparen(node.left as ChainNode);
  const plain = identifierName(left);
  if (plain) return { name: plain };
  if (left.type !== 'AssignmentExpression' || left.operator !== '=') return undefined;
  const name = identifierName(left.left);
  return name ? { name, value: left.right as ChainNode, assignment: left } : undefined;
}

/** `name op void 0`. */
const undefinedTest = (node: unknown, op: string, name: string) =>
  isNode(node) &&
  node.type === 'BinaryExpression' &&
  node.operator === op &&
  identifierName(node.left) === name &&
  isVoid0(node.right);

/** The identifier a member/call chain starts from, when the first link is a member access on it. */
function chainRoot(node: ChainNode): ChainNode | undefined {
  let link = node;
  for (;;) {
    const next =
      link.type === 'MemberExpression'
        ? (link.object as ChainNode)
        : link.type === 'CallExpression'
          ? (link.callee as ChainNode)
          : undefined;
    if (!next) return undefined;
    if (next.type === 'Identifier') return link.type === 'MemberExpression' ? next : undefined;
    if (next.type !== 'MemberExpression' && next.type !== 'CallExpression') return undefined;
    link = next;
  }
}

interface Pattern {
  node: ChainNode;
  kind: 'chain' | 'nullish';
  name: string;
  /** The value tested: `x.y` of `(_a = x.y)`, or the identifier itself. */
  value: ChainNode;
  /** The temporary's own references in the pattern (assignment, tests, use). */
  temporaryUses: ChainNode[];
  /** chain: the rest after the tested value; nullish: the default. */
  tail: ChainNode;
  tailRoot?: ChainNode;
}

function match(node: ChainNode): Pattern | undefined {
  if (node.type !== 'ConditionalExpression') return undefined;
  const test = node.test as ChainNode;
  if (test.type !== 'LogicalExpression' || (test.operator !== '||' && test.operator !== '&&')) return undefined;
  const chain = test.operator === '||';
  const op = chain ? '===' : '!==';
  const first = nullTest(test.left, op);
  if (!first || !undefinedTest(test.right, op, first.name)) return undefined;
  const value = first.value ?? unparen((test.left as ChainNode).left as ChainNode);
  const tested = (test.right as ChainNode).left as ChainNode;
  // A temporary is assigned, tested and used; a plain identifier is the value itself.
  const uses = (use: ChainNode) => (first.assignment ? [first.assignment.left as ChainNode, tested, use] : []);
  const tail = node.alternate as ChainNode;
  if (chain) {
    const root = chainRoot(tail);
    if (!isVoid0(node.consequent) || !root || root.name !== first.name) return undefined;
    return { node, kind: 'chain', name: first.name, value, temporaryUses: uses(root), tail, tailRoot: root };
  }
  if (identifierName(node.consequent) !== first.name) return undefined;
  return { node, kind: 'nullish', name: first.name, value, temporaryUses: uses(node.consequent as ChainNode), tail };
}

const FUNCTIONS = new Set(['FunctionDeclaration', 'FunctionExpression', 'ArrowFunctionExpression']);
/** Expressions `?.` and `??` can follow without parentheses. */
const TIGHT = new Set([
  'Identifier',
  'MemberExpression',
  'CallExpression',
  'ThisExpression',
  'Literal',
  'ParenthesizedExpression',
]);

/** Names a function declares with `var` in its own body (TypeScript's temporaries are declared so). */
function varNames(fn: ChainNode): Set<string> {
  const names = new Set<string>();
  const visit = (node: ChainNode) => {
    if (node !== fn && FUNCTIONS.has(node.type)) return;
    if (node.type === 'VariableDeclaration' && node.kind === 'var')
      for (const declarator of node.declarations as ChainNode[]) {
        const name = identifierName(declarator.id);
        if (name) names.add(name);
      }
    children(node).forEach(visit);
  };
  visit(fn);
  return names;
}

/** Every identifier named `name` that means `fn`'s own variable (not one of a nested function's). */
function referencesIn(fn: ChainNode, name: string): ChainNode[] {
  const found: ChainNode[] = [];
  const visit = (node: ChainNode) => {
    if (node !== fn && FUNCTIONS.has(node.type)) {
      const shadows = varNames(node).has(name) || (node.params as ChainNode[]).some((p) => identifierName(p) === name);
      if (shadows) return;
    }
    if (node.type === 'Identifier' && node.name === name) found.push(node);
    children(node).forEach(visit);
  };
  visit(fn);
  return found;
}

/** The edits raising every exactly-shaped optional chain and nullish default in `program`. */
export function optionalChainEdits(program: ChainNode): ChainEdit[] {
  const patterns: Pattern[] = [];
  /** Patterns per function, for the temporaries check. */
  const byFunction = new Map<ChainNode, Pattern[]>();
  const visit = (node: ChainNode, fn: ChainNode | undefined) => {
    const inFunction = FUNCTIONS.has(node.type) ? node : fn;
    const pattern = match(node);
    if (pattern) {
      patterns.push(pattern);
      if (inFunction) byFunction.set(inFunction, [...(byFunction.get(inFunction) ?? []), pattern]);
    }
    for (const child of children(node)) visit(child, inFunction);
  };
  visit(program, undefined);

  const raised = new Set<ChainNode>();
  for (const [fn, own] of byFunction) {
    const declared = varNames(fn);
    for (const pattern of own) {
      if (pattern.temporaryUses.length === 0) {
        raised.add(pattern.node);
        continue;
      }
      if (!declared.has(pattern.name)) continue;
      const all = referencesIn(fn, pattern.name).filter((ref) => !isDeclaration(fn, ref));
      const inPatterns = own.filter((other) => other.name === pattern.name).flatMap((other) => other.temporaryUses);
      if (all.every((ref) => inPatterns.includes(ref))) raised.add(pattern.node);
    }
  }
  // Outside any function (module level), only the plain-identifier form.
  for (const pattern of patterns) if (pattern.temporaryUses.length === 0) raised.add(pattern.node);

  return patterns
    .filter((pattern) => raised.has(pattern.node))
    .map((pattern) => ({
      start: pattern.node.start,
      end: pattern.node.end,
      render: (inner) => {
        const value = unparen(pattern.value);
        const valueText = inner(value.start, value.end);
        const tight = TIGHT.has(value.type) || raised.has(value);
        const head = tight ? valueText : `(${valueText})`;
        if (pattern.kind === 'nullish') {
          const tail = pattern.tail;
          const tailText = inner(tail.start, tail.end);
          return `(${head} ?? ${TIGHT.has(unparen(tail).type) ? tailText : `(${tailText})`})`;
        }
        const rest = inner(pattern.tailRoot!.end, pattern.tail.end);
        return `${head}?.${rest.startsWith('.') ? rest.slice(1) : rest}`;
      },
    }));
}

/** Whether `ref` is the name in a `var` declarator of `fn` (not a use). */
function isDeclaration(fn: ChainNode, ref: ChainNode): boolean {
  let found = false;
  const visit = (node: ChainNode) => {
    if (found) return;
    if (node.type === 'VariableDeclarator' && node.id === ref) found = true;
    children(node).forEach(visit);
  };
  visit(fn);
  return found;
}
