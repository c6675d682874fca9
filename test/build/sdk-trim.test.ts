// The SDK parts the bundle leaves out (scripts/sdk-trim.ts): replaced by a stub that throws, and the build
// stops when the SDK or the widget would reach one.
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { after, describe, it } from 'node:test';
import { parseSync } from 'vite';
import { prebundleSdk } from '../../scripts/sdk-prebundle.ts';
import { LEFT_OUT, reachesLeftOut, settleSdkModule, trimSdkModule, widgetMentions } from '../../scripts/sdk-trim.ts';
import { QUIET, SETTLED } from '../../scripts/sdk-trim-settled.ts';
import { unlowerSdkModule } from '../../scripts/sdk-unlower.ts';
import { sdkLeftOut } from '../../widget/sdk-left-out.ts';

const widgetFile = (path: string) => fileURLToPath(new URL(`../../widget/${path}`, import.meta.url));
const STUB = widgetFile('sdk-left-out.ts');
const sdkModules = join(dirname(createRequire(import.meta.url).resolve('@anam-ai/js-sdk/package.json')), 'dist', 'module');
const work = mkdtempSync(join(tmpdir(), 'anam-sdk-trim-'));
after(() => rmSync(work, { recursive: true, force: true }));

/** The SDK as the widget build bundles it (unminified), with `widgetFolder` as the widget's sources. */
async function prebundle(widgetFolder: string): Promise<string> {
  const plugin = prebundleSdk({ bufferShim: widgetFile('buffer-shim.ts'), leftOutStub: STUB, widgetFolder });
  const load = plugin.load as (this: unknown, id: string) => Promise<{ code: string }>;
  return (await load.call({}, join(sdkModules, 'index.js'))).code;
}

describe('sdkLeftOut', () => {
  it('throws, naming the part and where the list is', () => {
    assert.throws(
      () => sdkLeftOut('AnamClient.sendDirectorNoteCue'),
      /anam-persona: AnamClient\.sendDirectorNoteCue of @anam-ai\/js-sdk is not in this build \(see scripts\/sdk-trim\.ts\)/,
    );
  });
});

describe('trimSdkModule', () => {
  it('removes each left-out method of the installed SDK, and puts the stub call in place of a left-out function', () => {
    for (const { module, member } of LEFT_OUT) {
      const original = readFileSync(join(sdkModules, module), 'utf8');
      // As the build runs it: raised back and settled first (a settled branch may be what called it).
      const code = trimSdkModule(module, settleSdkModule(module, unlowerSdkModule(module, original)), STUB);
      assert.deepEqual(parseSync(module, code).errors, [], module);
      const [owner, name] = member.split('.');
      if (name) {
        assert.ok(original.includes(`${name}(`), `${module} ${member} is in the SDK`);
        assert.ok(!code.includes(`${name}(`), `${module} ${member} is gone`);
        assert.ok(code.includes(`class ${owner}`), `${module} keeps ${owner}`);
      } else {
        assert.ok(code.startsWith(`import { sdkLeftOut } from ${JSON.stringify(STUB)};`), module);
        assert.ok(code.includes(`sdkLeftOut(${JSON.stringify(member)})`), `${module} ${member}`);
      }
    }
    const metrics = trimSdkModule('lib/ClientMetrics.js', readFileSync(join(sdkModules, 'lib/ClientMetrics.js'), 'utf8'), STUB);
    assert.doesNotMatch(metrics, /WebRTC Session Statistics Report/, 'the console report is gone');
    assert.match(metrics, /export const sendClientMetric\b/, 'the telemetry to Anam stays');
  });

  it('leaves modules without left-out members as they are', () => {
    const code = readFileSync(join(sdkModules, 'lib/ConnectionMilestones.js'), 'utf8');
    assert.equal(trimSdkModule('lib/ConnectionMilestones.js', code, STUB), code);
  });

  it('stops when a listed member is no longer in the SDK', () => {
    assert.throws(
      () => trimSdkModule('AnamClient.js', 'export default class AnamClient { talk() {} }', STUB),
      /@anam-ai\/js-sdk changed: AnamClient\.js AnamClient\.streamToVideoElement, .* not found\. Revisit LEFT_OUT/,
    );
  });
});

describe('settleSdkModule', () => {
  const settle = (module: string) => {
    const raised = unlowerSdkModule(module, readFileSync(join(sdkModules, module), 'utf8'));
    return { raised, settled: settleSdkModule(module, raised) };
  };

  it('cuts each settled branch of the installed SDK to the branch taken, and empties the quiet members', () => {
    for (const module of new Set([...SETTLED, ...QUIET].map((part) => part.module))) {
      const { raised, settled } = settle(module);
      assert.ok(settled.length < raised.length, module);
      assert.deepEqual(parseSync(module, settled).errors, [], module);
    }
    const client = settle('AnamClient.js').settled;
    assert.doesNotMatch(
      client,
      /Voice detection is disabled|Only one of sessionToken or apiKey|Missing persona config|already contains a persona/,
    );
    assert.match(client, /Either sessionToken or apiKey must be provided/, 'a missing token is still refused');
    assert.match(client, /Legacy session tokens are no longer supported/, 'a token the widget may be given still is');
    assert.match(client, /const decodedToken = this\.decodeJwt\(sessionToken\)/, 'the token branch is kept, unguarded');
    for (const module of [
      'modules/CoreApiRestClient.js',
      'modules/EngineApiRestClient.js',
      'lib/ClientMetrics.js',
      'modules/SignallingClient.js',
    ])
      assert.doesNotMatch(settle(module).settled, /X-Anam-Target-Url|target_url/, module);
    assert.match(
      settle('lib/ClientMetrics.js').settled,
      /url = `\$\{anamCurrentBaseUrl\}\$\{targetPath\}`/,
      'metrics still go to Anam',
    );
    assert.match(
      settle('lib/validateApiGatewayConfig.js').settled,
      /export function validateApiGatewayConfig\(apiGatewayConfig\) \{\}/,
    );
  });

  it('stops when a settled branch is no longer in the SDK', () => {
    assert.throws(
      () =>
        settleSdkModule(
          'modules/EngineApiRestClient.js',
          'export class EngineApiRestClient { async sendTalkCommand() { if (this.other) {} } }',
        ),
      /@anam-ai\/js-sdk changed: modules\/EngineApiRestClient\.js EngineApiRestClient\.sendTalkCommand if \(this\.apiGatewayConfig\?\.enabled.*not found\. Revisit scripts\/sdk-trim-settled\.ts/,
    );
  });
});

describe('reachesLeftOut', () => {
  const stub = `class AnamClient { streamToVideoElement() { return sdkLeftOut("AnamClient.streamToVideoElement"); } }
var createRTCStatsReport = () => sdkLeftOut("createRTCStatsReport");`;

  it('accepts the stubs alone, and a guarded call where the list allows one', () => {
    assert.deepEqual(reachesLeftOut(stub), []);
    const guarded = `${stub}\nclass S { shutdown() { if (this.showPeerConnectionStatsReport) { createRTCStatsReport(1); } } }`;
    assert.deepEqual(reachesLeftOut(guarded), []);
  });

  it('names a left-out method called, read or looked up by name anywhere else', () => {
    for (const use of [
      'this.streamToVideoElement("v")',
      'const f = client.streamToVideoElement;',
      'client["streamToVideoElement"]()',
    ]) {
      const found = reachesLeftOut(`${stub}\nfunction start(client) { ${use} }`);
      assert.equal(found.length, 1, use);
      assert.match(found[0]!, /^AnamClient\.streamToVideoElement at /);
    }
  });

  it('names a guarded function reached outside its guard', () => {
    const found = reachesLeftOut(`${stub}\nfunction end(stats) { if (this.debug) createRTCStatsReport(stats); }`);
    assert.equal(found.length, 1);
    assert.match(found[0]!, /^createRTCStatsReport at /);
  });
});

describe('widgetMentions', () => {
  it('names left-out members and the options that would reach them', () => {
    assert.deepEqual(widgetMentions('client.createTalkMessageStream(); createClient(t, { apiKey })'), [
      'createTalkMessageStream',
      'apiKey',
    ]);
    assert.deepEqual(widgetMentions('client.talk(text); client.stream();'), []);
    assert.deepEqual(widgetMentions("client.addListener('MESSAGE_HISTORY_UPDATED', f); createClient(t, { voiceDetection })"), [
      'voiceDetection',
      'MESSAGE_HISTORY_UPDATED',
    ]);
  });
});

describe('the SDK as the widget bundles it', () => {
  it('has no left-out method, a stub for a left-out function, and keeps what the widget uses', async () => {
    const code = await prebundle(widgetFile(''));
    for (const { member } of LEFT_OUT) {
      const name = member.split('.')[1];
      if (name) assert.ok(!code.includes(`${name}(`), member);
      // A left-out function is a stub where the SDK still names it, or gone with its last guarded use.
      else assert.ok(code.includes(`sdkLeftOut("${member}")`) || !code.includes(member), member);
    }
    assert.doesNotMatch(code, /WebRTC Session Statistics Report|class TalkMessageStream|class AgentAudioInputStream/);
    // One function holds the SDK (scripts/sdk-prebundle.ts, inOneFunction); the module exports what it returns.
    assert.match(code, /^const sdk = \(\(\) => \{\n/);
    assert.match(code, /\nreturn \{ createClient \};\n\}\)\(\);\nexport const \{ createClient \} = sdk;\n$/);
    assert.doesNotMatch(code, /unsafe_createClientWithApiKey/, 'only the exports the widget uses');
  });

  it('stops the build when the widget uses a left-out part', async () => {
    writeFileSync(join(work, 'uses.ts'), 'export const stream = (client) => client.streamToVideoElement("video");\n');
    await assert.rejects(
      prebundle(work),
      /The widget uses parts of @anam-ai\/js-sdk that scripts\/sdk-trim\.ts leaves out: widget\/uses\.ts: streamToVideoElement/,
    );
  });
});
