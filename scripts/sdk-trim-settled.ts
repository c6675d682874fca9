/**
 * Code of @anam-ai/js-sdk whose outcome the widget settles, trimmed to that outcome (scripts/sdk-trim.ts
 * applies these beside LEFT_OUT): an `if` whose condition is always the same for the widget becomes the
 * branch taken, and a member whose only effect is on something the widget never sets or listens to
 * becomes empty. Each names what the widget never mentions (`widgetNever`: the SDK option, event or
 * argument that would make it matter); the build stops if the widget's sources mention one. What reports a
 * failure the widget can meet at run time (a token the service refuses, a lost connection) stays, and so
 * does the SDK's telemetry to Anam.
 */
export interface SettledBranch {
  /** The SDK module, under dist/module. */
  module: string;
  /** `Class.method` (`Class.constructor`), or the name of a function or `const` holding the `if`. */
  member: string;
  /** The `if`'s condition as the SDK writes it (once scripts/sdk-unlower.ts has raised it back). */
  condition: string;
  /** What the condition always is when the widget runs it: the `if` becomes that branch. */
  always: boolean;
  widgetNever: readonly string[];
  why: string;
}

/** A member emptied: it returns undefined and does nothing, which is all the widget ever needs of it. */
export interface QuietMember {
  module: string;
  /** `Class.method`, or the name of a function or `const`. */
  member: string;
  widgetNever: readonly string[];
  why: string;
}

const GATEWAY = 'the API gateway option (`api.apiGateway`), which the widget never sets: requests go to the service directly';
const GATEWAY_TEST = 'this.apiGatewayConfig?.enabled && this.apiGatewayConfig?.baseUrl';

export const SETTLED: readonly SettledBranch[] = [
  {
    module: 'AnamClient.js',
    member: 'AnamClient.constructor',
    condition: 'options?.api?.apiGateway?.enabled',
    always: false,
    widgetNever: ['apiGateway'],
    why: GATEWAY,
  },
  {
    module: 'lib/ClientMetrics.js',
    member: 'sendClientMetrics',
    condition: 'apiGatewayConfig?.enabled && apiGatewayConfig?.baseUrl',
    always: false,
    widgetNever: ['apiGateway'],
    why: GATEWAY,
  },
  {
    module: 'modules/SignallingClient.js',
    member: 'SignallingClient.constructor',
    condition: GATEWAY_TEST,
    always: false,
    widgetNever: ['apiGateway'],
    why: GATEWAY,
  },
  {
    module: 'modules/CoreApiRestClient.js',
    member: 'CoreApiRestClient.buildGatewayUrlAndHeaders',
    condition: GATEWAY_TEST,
    always: false,
    widgetNever: ['apiGateway'],
    why: GATEWAY,
  },
  {
    module: 'modules/EngineApiRestClient.js',
    member: 'EngineApiRestClient.sendTalkCommand',
    condition: GATEWAY_TEST,
    always: false,
    widgetNever: ['apiGateway'],
    why: GATEWAY,
  },
  {
    module: 'modules/CoreApiRestClient.js',
    member: 'CoreApiRestClient.startSession',
    condition: '!this.sessionToken',
    always: false,
    widgetNever: ['apiKey'],
    why: 'the API-key path: the widget always has a session token (an empty one is refused earlier, in AnamClient.validateClientConfig)',
  },
  {
    module: 'modules/CoreApiRestClient.js',
    member: 'CoreApiRestClient.startSession',
    condition: 'personaConfig && "brainType" in personaConfig',
    always: false,
    widgetNever: ['personaConfig'],
    why: "a warning about a persona configuration's field: the widget's persona is in its token, it never passes one (createClient passes none)",
  },
  {
    module: 'AnamClient.js',
    member: 'AnamClient.validateClientConfig',
    condition: 'options?.apiKey && sessionToken',
    always: false,
    widgetNever: ['apiKey'],
    why: 'the widget never passes an API key',
  },
  {
    module: 'AnamClient.js',
    member: 'AnamClient.validateClientConfig',
    condition: 'sessionToken',
    always: true,
    widgetNever: ['apiKey'],
    why: 'without an API key an empty token has already been refused two lines up ("Either sessionToken or apiKey must be provided"); the other branch is the API-key path',
  },
  {
    module: 'AnamClient.js',
    member: 'AnamClient.validateClientConfig',
    condition: 'personaConfig',
    always: false,
    widgetNever: ['personaConfig'],
    why: 'the widget never passes a persona configuration beside its token (createClient passes none)',
  },
  {
    module: 'AnamClient.js',
    member: 'AnamClient.validateClientConfig',
    condition: 'options?.voiceDetection',
    always: false,
    widgetNever: ['voiceDetection'],
    why: "checks of the SDK's voiceDetection option, which the widget never sets",
  },
  {
    module: 'AnamClient.js',
    member: 'AnamClient.buildStartSessionOptionsForClient',
    condition: 'this.clientOptions?.voiceDetection',
    always: false,
    widgetNever: ['voiceDetection'],
    why: "the SDK's voiceDetection option, which the widget never sets",
  },
  {
    module: 'modules/StreamingClient.js',
    member: 'StreamingClient.shutdown',
    condition: 'this.showPeerConnectionStatsReport',
    always: false,
    widgetNever: ['showPeerConnectionStatsReport'],
    why: "the SDK's debugging report printed to the console at the end of a session, only with its metrics option, which the widget never sets",
  },
  {
    module: 'modules/MessageHistoryClient.js',
    member: 'MessageHistoryClient.processWebRtcTextMessageEvent',
    condition: 'messageStreamEvent.endOfSpeech',
    always: false,
    widgetNever: ['MESSAGE_HISTORY_UPDATED'],
    why: 'its only effect is the MESSAGE_HISTORY_UPDATED event, which the widget never listens to (its transcript is built from MESSAGE_STREAM_EVENT_RECEIVED)',
  },
];

export const QUIET: readonly QuietMember[] = [
  {
    module: 'lib/validateApiGatewayConfig.js',
    member: 'validateApiGatewayConfig',
    widgetNever: ['apiGateway'],
    why: `returns nothing without ${GATEWAY}`,
  },
  {
    module: 'modules/SignallingClient.js',
    member: 'SignallingClient.isApiGatewayBackendClose',
    widgetNever: ['apiGateway'],
    why: `false without ${GATEWAY}; undefined is as false where it is read (\`!close ||\`, \`close &&\`)`,
  },
  {
    module: 'AnamClient.js',
    member: 'getPersonaConfigValidationError',
    widgetNever: ['personaConfig'],
    why: 'returns nothing without a persona configuration beside the token, which the widget never passes',
  },
  {
    module: 'modules/MessageHistoryClient.js',
    member: 'MessageHistoryClient.processUserMessage',
    widgetNever: ['MESSAGE_HISTORY_UPDATED'],
    why: 'keeps the history only the MESSAGE_HISTORY_UPDATED event carries, which the widget never listens to',
  },
  {
    module: 'modules/MessageHistoryClient.js',
    member: 'MessageHistoryClient.processPersonaMessage',
    widgetNever: ['MESSAGE_HISTORY_UPDATED'],
    why: 'keeps the history only the MESSAGE_HISTORY_UPDATED event carries, which the widget never listens to',
  },
  {
    module: 'modules/ReasoningHistoryClient.js',
    member: 'ReasoningHistoryClient.processWebRtcReasoningTextMessageEvent',
    widgetNever: ['REASONING_STREAM_EVENT_RECEIVED', 'REASONING_HISTORY_UPDATED'],
    why: 'its only effects are the REASONING_* events, which the widget never listens to',
  },
];
