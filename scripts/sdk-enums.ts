import { parseSync } from 'vite';
import type { TextEdit } from './edit-source-map.ts';

/**
 * TypeScript compiles each of the SDK's string enums to an object built at load time:
 *
 *   var ErrorCode;
 *   (function (ErrorCode2) { ErrorCode2["CLIENT_ERROR_CODE_SERVER_ERROR"] = "CLIENT_ERROR_CODE_SERVER_ERROR"; … })(ErrorCode || (ErrorCode = {}));
 *
 * and every use reads a member: `ErrorCode.CLIENT_ERROR_CODE_SERVER_ERROR`. In the bundled SDK (one module,
 * scripts/sdk-prebundle.ts) an enum the module does not export and reads only as `Enum.MEMBER` is its
 * values and nothing else, so each read becomes the value itself and the object goes: the long member
 * names leave the script. An enum read any other way (`Object.values(E)`, `E[key]`, passed along,
 * exported, a name shadowed) stays as it is; one never read goes.
 */

interface Node {
  type: string;
  start: number;
  end: number;
  [key: string]: unknown;
}

const isNode = (value: unknown): value is Node =>
  typeof value === 'object' && value !== null && typeof (value as Node).type === 'string';

function walk(node: Node, visit: (node: Node, parent: Node | undefined) => void, parent?: Node): void {
  visit(node, parent);
  for (const [key, value] of Object.entries(node)) {
    if (key === 'parent') continue;
    for (const child of Array.isArray(value) ? value : [value]) if (isNode(child)) walk(child, visit, node);
  }
}

const identifier = (node: unknown, name?: string) =>
  isNode(node) && node.type === 'Identifier' && (name === undefined || node.name === name);
const unparen = (node: Node): Node => (node.type === 'ParenthesizedExpression' ? unparen(node.expression as Node) : node);

/**
 * The members of `(function (E2) { E2["K"] = "v"; … })(E || (E = {}))` for `E`; null for an enum with
 * other members (numeric ones), undefined for anything else.
 */
function enumBody(statement: Node, name: string): Map<string, string> | null | undefined {
  if (statement.type !== 'ExpressionStatement') return undefined;
  const call = unparen(statement.expression as Node);
  if (call.type !== 'CallExpression') return undefined;
  const callee = unparen(call.callee as Node);
  const [argument] = call.arguments as Node[];
  const [param] = (callee.params as Node[] | undefined) ?? [];
  if (callee.type !== 'FunctionExpression' || !param || !identifier(param) || !argument) return undefined;
  const init = unparen(argument);
  if (init.type !== 'LogicalExpression' || init.operator !== '||' || !identifier(init.left, name)) return undefined;
  const members = new Map<string, string>();
  let onlyStrings = true;
  for (const line of (callee.body as Node).body as Node[]) {
    const assignment = line.type === 'ExpressionStatement' ? unparen(line.expression as Node) : undefined;
    const target = assignment?.left as Node | undefined;
    // Anything but assignments to the enum's own members: not an enum body.
    if (
      assignment?.type !== 'AssignmentExpression' ||
      target?.type !== 'MemberExpression' ||
      !identifier(target.object, param.name as string)
    )
      return undefined;
    const key = target.property as Node;
    const value = assignment.right as Node;
    if (key.type === 'Literal' && typeof key.value === 'string' && value.type === 'Literal' && typeof value.value === 'string')
      members.set(key.value, value.value);
    else onlyStrings = false; // a numeric enum's reverse mapping, E[E["K"] = 0] = "K"
  }
  return onlyStrings ? members : null;
  return members;
}

/** Edits inlining every inlinable string enum of `code` (the bundled SDK, one ES module). */
export function sdkEnumEdits(code: string): TextEdit[] {
  const { program, errors } = parseSync('sdk.js', code);
  if (errors.length > 0) throw new Error(`sdk.js: ${errors[0]!.message}`);
  const body = (program as unknown as Node).body as Node[];
  const exported = new Set<string>();
  for (const statement of body)
    if (statement.type === 'ExportNamedDeclaration')
      for (const specifier of statement.specifiers as Node[]) exported.add((specifier.local as Node).name as string);

  const enums = new Map<string, { declaration: Node; definition: Node; members: Map<string, string> | null }>();
  body.forEach((statement, index) => {
    const [declarator] = (statement.declarations as Node[] | undefined) ?? [];
    if (statement.type !== 'VariableDeclaration' || (statement.declarations as Node[]).length !== 1 || declarator!.init) return;
    const name = (declarator!.id as Node).name as string;
    const next = body[index + 1];
    const members = next && enumBody(next, name);
    if (members !== undefined && !exported.has(name)) enums.set(name, { declaration: statement, definition: next!, members });
  });

  // Every other mention of each enum's name: inlinable only if all are `Enum.MEMBER` reads.
  const reads = new Map<string, Node[]>();
  const blocked = new Set<string>();
  const written = new Set<unknown>();
  walk(program as unknown as Node, (node, parent) => {
    // Parents come first: a member assigned to, updated or deleted is known before its object is seen.
    if (node.type === 'AssignmentExpression') written.add(node.left);
    if (node.type === 'UpdateExpression' || (node.type === 'UnaryExpression' && node.operator === 'delete'))
      written.add(node.argument);
    if (node.type !== 'Identifier' || !enums.has(node.name as string)) return;
    const name = node.name as string;
    const { declaration, definition, members } = enums.get(name)!;
    if (node.start >= declaration.start && node.end <= declaration.end) return;
    if (node.start >= definition.start && node.end <= definition.end) return;
    const key =
      parent?.type === 'MemberExpression' && parent.object === node && !parent.computed
        ? (parent.property as Node).name
        : undefined;
    if (typeof key !== 'string' || !members?.has(key) || written.has(parent)) blocked.add(name);
    else reads.set(name, [...(reads.get(name) ?? []), parent!]);
  });

  const edits: TextEdit[] = [];
  for (const [name, { declaration, definition, members }] of enums) {
    if (blocked.has(name)) continue;
    const used = reads.get(name) ?? [];
    if (used.length > 0 && !members) continue;
    edits.push({ start: declaration.start, end: definition.end, text: '' });
    for (const read of used)
      edits.push({
        start: read.start,
        end: read.end,
        text: JSON.stringify(members!.get((read.property as Node).name as string)),
      });
  }
  return edits.sort((a, b) => a.start - b.start);
}
