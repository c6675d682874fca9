import { parseSync } from 'vite';
import { QUIET, SETTLED } from './sdk-trim-settled.ts';

/**
 * Parts of @anam-ai/js-sdk the widget never reaches, left out of the bundle: a method is removed, a
 * function the SDK still names under a guard becomes a call to `sdkLeftOut(name)`
 * (widget/sdk-left-out.ts), which throws naming it. Telemetry to Anam (ClientMetrics'
 * sending, ConnectionMilestones, reportInputAudioSettings) stays, whatever its size. Code whose outcome
 * the widget settles (an option it never sets, an event it never hears) is cut by settleSdkModule, from
 * the list in scripts/sdk-trim-settled.ts.
 */
export interface LeftOut {
  /** The SDK module, under dist/module. */
  module: string;
  /** `Class.method`, or the name of an exported `const`. */
  member: string;
  /**
   * Left undefined for a member nothing in the SDK or the widget may mention at all. Otherwise the SDK may
   * reach it only inside `if (<onlyUnder>)`, a condition the widget never makes true: it never mentions
   * `widgetNever` (the SDK option or function that would).
   */
  onlyUnder?: { condition: string; widgetNever: string };
  /** Why the widget never reaches it. */
  why: string;
}

export const LEFT_OUT: readonly LeftOut[] = [
  {
    module: 'AnamClient.js',
    member: 'AnamClient.streamToVideoElement',
    why: 'the widget plays the streams stream() returns in its own shadow-root elements',
  },
  {
    module: 'AnamClient.js',
    member: 'AnamClient.streamToVideoAndAudioElements',
    why: 'deprecated by the SDK; the widget uses stream()',
  },
  {
    module: 'AnamClient.js',
    member: 'AnamClient.sendDirectorNoteCue',
    why: 'the widget sends no director notes',
  },
  {
    module: 'AnamClient.js',
    member: 'AnamClient.createTalkMessageStream',
    why: "the widget's talk() sends whole messages",
  },
  {
    module: 'AnamClient.js',
    member: 'AnamClient.createAgentAudioInputStream',
    why: 'the persona speaks only its own voice',
  },
  {
    module: 'AnamClient.js',
    member: 'AnamClient.setPersonaConfig',
    why: 'the persona is chosen by the token server, never in the browser',
  },
  {
    module: 'modules/StreamingClient.js',
    member: 'StreamingClient.setMediaStreamTargetById',
    why: 'reached only from streamToVideoElement',
  },
  {
    module: 'modules/StreamingClient.js',
    member: 'StreamingClient.startTalkMessageStream',
    why: 'reached only from createTalkMessageStream',
  },
  {
    module: 'modules/StreamingClient.js',
    member: 'StreamingClient.createAgentAudioInputStream',
    why: 'reached only from createAgentAudioInputStream',
  },
  {
    module: 'modules/StreamingClient.js',
    member: 'StreamingClient.getAgentAudioInputStream',
    why: 'reached only from createAgentAudioInputStream',
  },
  {
    module: 'modules/MessageHistoryClient.js',
    member: 'MessageHistoryClient.appendUtterance',
    why: 'reached only from processPersonaMessage, emptied (scripts/sdk-trim-settled.ts)',
  },
  {
    module: 'modules/ReasoningHistoryClient.js',
    member: 'ReasoningHistoryClient.webRtcTextMessageEventToReasoningStreamEvent',
    why: 'reached only from processWebRtcReasoningTextMessageEvent, emptied (scripts/sdk-trim-settled.ts)',
  },
  {
    module: 'modules/SignallingClient.js',
    member: 'SignallingClient.sendTalkMessage',
    why: 'reached only from startTalkMessageStream',
  },
  {
    module: 'modules/SignallingClient.js',
    member: 'SignallingClient.sendAgentAudioInput',
    why: 'reached only from createAgentAudioInputStream',
  },
  {
    module: 'modules/SignallingClient.js',
    member: 'SignallingClient.sendAgentAudioInputEnd',
    why: 'reached only from createAgentAudioInputStream',
  },
  {
    module: 'modules/CoreApiRestClient.js',
    member: 'CoreApiRestClient.unsafe_getSessionToken',
    onlyUnder: { condition: '!this.sessionToken', widgetNever: 'apiKey' },
    why: 'the API-key path: the widget always starts from a session token and never holds a key',
  },
  {
    module: 'modules/ToolCallManager.js',
    member: 'ToolCallManager.WebRTCToolCallStartedEventToClientToolEvent',
    why: 'called by nothing, in the SDK either',
  },
  {
    module: 'lib/ClientMetrics.js',
    member: 'createRTCStatsReport',
    onlyUnder: { condition: 'this.showPeerConnectionStatsReport', widgetNever: 'showPeerConnectionStatsReport' },
    why: "a debugging report printed to the console at the end of a session, only with the SDK's metrics option, which the widget never sets",
  },
];

interface Node {
  type: string;
  start: number;
  end: number;
  [key: string]: unknown;
}

function isNode(value: unknown): value is Node {
  return typeof value === 'object' && value !== null && typeof (value as Node).type === 'string';
}

/** Visits every node with its ancestors (nearest last). */
function walk(node: Node, visit: (node: Node, ancestors: readonly Node[]) => void, ancestors: Node[] = []): void {
  visit(node, ancestors);
  ancestors.push(node);
  for (const value of Object.values(node)) {
    for (const child of Array.isArray(value) ? value : [value]) if (isNode(child)) walk(child, visit, ancestors);
  }
  ancestors.pop();
}

function parse(file: string, code: string): Node {
  const result = parseSync(file, code);
  if (result.errors.length > 0) throw new Error(`${file}: ${result.errors[0]!.message}`);
  return result.program as unknown as Node;
}

const nameOf = (node: unknown): string | undefined =>
  isNode(node) && node.type === 'Identifier' ? (node.name as string) : undefined;

/**
 * `code` of the SDK module `module` without its left-out methods, and with its left-out functions (which
 * the SDK still names under a guard, see `onlyUnder`) replaced by a `sdkLeftOut` call imported from
 * `stubPath`. A method goes entirely: nothing can reach it (the build checks), and the SDK's client is
 * the widget's own, never handed to the page, with its unused members' names shortened anyway
 * (scripts/sdk-private-names.ts), so a stub naming it would only add bytes (about 320 gzip for 17 of
 * them). Throws when a listed member is not there (the SDK changed: revisit the list).
 */
export function trimSdkModule(module: string, code: string, stubPath: string): string {
  const members = LEFT_OUT.filter((leftOut) => leftOut.module === module);
  if (members.length === 0) return code;
  const cuts: Array<{ start: number; end: number; text: string; member: string }> = [];
  walk(parse(module, code), (node, ancestors) => {
    for (const { member } of members) {
      const [owner, method] = member.includes('.') ? member.split('.') : [undefined, member];
      if (owner && node.type === 'MethodDefinition' && nameOf(node.key) === method) {
        const inClass = [...ancestors].reverse().find((ancestor) => ancestor.type === 'ClassDeclaration');
        if (nameOf(inClass?.id) === owner) cuts.push({ start: node.start, end: node.end, text: '', member });
      }
      if (!owner && node.type === 'VariableDeclarator' && nameOf(node.id) === method) {
        const init = node.init as Node;
        cuts.push({ start: init.start, end: init.end, text: `() => sdkLeftOut(${JSON.stringify(member)})`, member });
      }
    }
  });
  if (cuts.length !== members.length) {
    const missing = members.filter(({ member }) => !cuts.some((cut) => cut.member === member));
    throw new Error(
      `@anam-ai/js-sdk changed: ${missing.map((leftOut) => `${module} ${leftOut.member}`).join(', ')} not found. Revisit LEFT_OUT in scripts/sdk-trim.ts.`,
    );
  }
  let trimmed = code;
  for (const cut of cuts.sort((a, b) => b.start - a.start))
    trimmed = trimmed.slice(0, cut.start) + cut.text + trimmed.slice(cut.end);
  const stubbed = cuts.some((cut) => cut.text !== '');
  return stubbed ? `import { sdkLeftOut } from ${JSON.stringify(stubPath)};\n${trimmed}` : trimmed;
}

/** The node of `member` (`Class.method`, or a function or `const` name) in `program`. */
function findMember(program: Node, member: string): Node | undefined {
  const [owner, name] = member.includes('.') ? member.split('.') : [undefined, member];
  let found: Node | undefined;
  walk(program, (node, ancestors) => {
    if (found) return;
    if (owner && node.type === 'MethodDefinition' && nameOf(node.key) === name) {
      const inClass = [...ancestors].reverse().find((ancestor) => ancestor.type === 'ClassDeclaration');
      if (nameOf(inClass?.id) === owner) found = node.value as Node;
    }
    if (!owner && node.type === 'FunctionDeclaration' && nameOf(node.id) === name) found = node;
    if (!owner && node.type === 'VariableDeclarator' && nameOf(node.id) === name) found = node.init as Node;
  });
  return found;
}

/** Whether two conditions differ in more than spacing, quotes and parentheses (the SDK's are simple). */
const differs = (a: string, b: string) => {
  const plain = (text: string) => text.replace(/[\s()]/g, '').replace(/'/g, '"');
  return plain(a) !== plain(b);
};

/**
 * `code` of the SDK module `module` with the branches the widget settles (scripts/sdk-trim-settled.ts)
 * cut to the branch taken and its quiet members emptied. Throws when one is not there (the SDK changed).
 */
export function settleSdkModule(module: string, code: string): string {
  const branches = SETTLED.filter((settled) => settled.module === module);
  const quiet = QUIET.filter((member) => member.module === module);
  if (branches.length === 0 && quiet.length === 0) return code;
  const program = parse(module, code);
  const cuts: Array<{ start: number; end: number; text: string }> = [];
  const missing: string[] = [];
  for (const { member } of quiet) {
    const fn = findMember(program, member);
    const body = fn?.body as Node | undefined;
    if (!fn || !body) missing.push(member);
    else if (body.type === 'BlockStatement') cuts.push({ start: body.start, end: body.end, text: '{}' });
    else cuts.push({ start: body.start, end: body.end, text: 'undefined' });
  }
  for (const { member, condition, always } of branches) {
    const holder = findMember(program, member);
    let matched = false;
    if (holder)
      walk(holder, (node) => {
        const test = node.test as Node | undefined;
        if (node.type !== 'IfStatement' || !test || differs(code.slice(test.start, test.end), condition)) return;
        matched = true;
        const [then, otherwise] = [node.consequent as Node, node.alternate as Node | null];
        if (always) {
          cuts.push({ start: node.start, end: then.start, text: '' });
          if (otherwise) cuts.push({ start: then.end, end: node.end, text: '' });
        } else if (otherwise) cuts.push({ start: node.start, end: otherwise.start, text: '' });
        else cuts.push({ start: node.start, end: node.end, text: '{}' });
      });
    if (!matched) missing.push(`${member} if (${condition})`);
  }
  if (missing.length > 0)
    throw new Error(`@anam-ai/js-sdk changed: ${module} ${missing.join(', ')} not found. Revisit scripts/sdk-trim-settled.ts.`);
  cuts.sort((a, b) => b.start - a.start);
  let settled = code;
  cuts.forEach((cut, index) => {
    if (index > 0 && cut.end > cuts[index - 1]!.start)
      throw new Error(`${module}: overlapping cuts in scripts/sdk-trim-settled.ts`);
    settled = settled.slice(0, cut.start) + cut.text + settled.slice(cut.end);
  });
  return settled;
}

/**
 * What in the bundled SDK (`code`, unminified) still reaches a left-out member: a method mentioned
 * anywhere but in its own stub, or reached outside `if (<onlyUnder.condition>)`. Empty when none.
 */
export function reachesLeftOut(code: string): string[] {
  const found: string[] = [];
  walk(parse('sdk.js', code), (node, ancestors) => {
    const parent = ancestors.at(-1);
    const computedKey = node.type === 'Literal' && parent?.type === 'MemberExpression' && parent.property === node;
    const name = nameOf(node) ?? (computedKey ? String(node.value) : undefined);
    if (name === undefined) return;
    for (const { member, onlyUnder } of LEFT_OUT) {
      const short = member.split('.').pop()!;
      if (!new RegExp(`^${short}\\d*$`).test(name)) continue;
      const isStubDefinition =
        (parent?.type === 'MethodDefinition' && parent.key === node) ||
        (parent?.type === 'VariableDeclarator' && parent.id === node);
      if (isStubDefinition) continue;
      const guarded =
        onlyUnder !== undefined &&
        ancestors.some((ancestor) => {
          const test = ancestor.test as Node | undefined;
          return ancestor.type === 'IfStatement' && test && code.slice(test.start, test.end) === onlyUnder.condition;
        });
      if (!guarded) found.push(`${member} at ${code.slice(node.start - 40, node.end + 20).replace(/\s+/g, ' ')}`);
    }
  });
  return found;
}

/** The left-out members, and what would reach them, that `source` (widget code) mentions. */
export function widgetMentions(source: string): string[] {
  const names = [
    ...LEFT_OUT.flatMap(({ member, onlyUnder }) => [member.split('.').pop()!, ...(onlyUnder ? [onlyUnder.widgetNever] : [])]),
    ...[...SETTLED, ...QUIET].flatMap(({ widgetNever }) => widgetNever),
  ];
  return [...new Set(names)].filter((name) => new RegExp(`\\b${name}\\b`).test(source));
}
