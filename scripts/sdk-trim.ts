import { parseSync } from 'vite';

/**
 * Parts of @anam-ai/js-sdk the widget never reaches, left out of the bundle: each is replaced by a call
 * to `sdkLeftOut(name)` (widget/sdk-left-out.ts), which throws naming it. Telemetry to Anam (ClientMetrics'
 * sending, ConnectionMilestones, reportInputAudioSettings) stays, whatever its size.
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
 * `code` of the SDK module `module` with its left-out members' bodies replaced by a `sdkLeftOut` call
 * imported from `stubPath`. Throws when a listed member is not there (the SDK changed: revisit the list).
 */
export function trimSdkModule(module: string, code: string, stubPath: string): string {
  const members = LEFT_OUT.filter((leftOut) => leftOut.module === module);
  if (members.length === 0) return code;
  const cuts: Array<{ start: number; end: number; text: string }> = [];
  walk(parse(module, code), (node, ancestors) => {
    for (const { member } of members) {
      const [owner, method] = member.includes('.') ? member.split('.') : [undefined, member];
      const call = `sdkLeftOut(${JSON.stringify(member)})`;
      if (owner && node.type === 'MethodDefinition' && nameOf(node.key) === method) {
        const inClass = [...ancestors].reverse().find((ancestor) => ancestor.type === 'ClassDeclaration');
        if (nameOf(inClass?.id) !== owner) continue;
        const body = (node.value as Node).body as Node;
        cuts.push({ start: body.start, end: body.end, text: `{ return ${call}; }` });
      }
      if (!owner && node.type === 'VariableDeclarator' && nameOf(node.id) === method) {
        const init = node.init as Node;
        cuts.push({ start: init.start, end: init.end, text: `() => ${call}` });
      }
    }
  });
  if (cuts.length !== members.length) {
    const missing = members.filter(({ member }) => !cuts.some((cut) => cut.text.includes(JSON.stringify(member))));
    throw new Error(
      `@anam-ai/js-sdk changed: ${missing.map((leftOut) => `${module} ${leftOut.member}`).join(', ')} not found. Revisit LEFT_OUT in scripts/sdk-trim.ts.`,
    );
  }
  let trimmed = code;
  for (const cut of cuts.sort((a, b) => b.start - a.start))
    trimmed = trimmed.slice(0, cut.start) + cut.text + trimmed.slice(cut.end);
  return `import { sdkLeftOut } from ${JSON.stringify(stubPath)};\n${trimmed}`;
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
  const names = LEFT_OUT.flatMap(({ member, onlyUnder }) => [
    member.split('.').pop()!,
    ...(onlyUnder ? [onlyUnder.widgetNever] : []),
  ]);
  return names.filter((name) => new RegExp(`\\b${name}\\b`).test(source));
}
