// TypeScript's down-levelled async functions and object spreads in the SDK, raised back to what its authors
// wrote: same behaviour, fewer bytes.
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { describe, it } from 'node:test';
import { parseSync } from 'vite';
import { unlowerSdkModule } from '../../scripts/sdk-unlower.ts';

const AWAITER = `var __awaiter = (this && this.__awaiter) || function (thisArg, _arguments, P, generator) {
    function adopt(value) { return value instanceof P ? value : new P(function (resolve) { resolve(value); }); }
    return new (P || (P = Promise))(function (resolve, reject) {
        function fulfilled(value) { try { step(generator.next(value)); } catch (e) { reject(e); } }
        function rejected(value) { try { step(generator["throw"](value)); } catch (e) { reject(e); } }
        function step(result) { result.done ? resolve(result.value) : adopt(result.value).then(fulfilled, rejected); }
        step((generator = generator.apply(thisArg, _arguments || [])).next());
    });
};`;

const squash = (code: string) => code.replace(/\s+/g, ' ').trim();
/** Runs `code` (a script defining `run`) and resolves to what `run()` settles with. */
async function outcome(code: string): Promise<unknown> {
  const run = new Function(`${code}; return run;`)() as () => Promise<unknown>;
  return run().then(
    (value) => ({ value }),
    (error: Error) => ({ error: error.message }),
  );
}

describe('unlowerSdkModule', () => {
  it('turns __awaiter methods and arrows into async functions, and drops the helper', () => {
    const code = `${AWAITER}
class Client {
    start(config) {
        return __awaiter(this, void 0, void 0, function* () {
            const token = yield this.fetch(config);
            return (yield token.json()).id + (yield a + b);
        });
    }
}
export const send = (name) => __awaiter(void 0, void 0, void 0, function* () { yield post(name); });`;
    assert.equal(
      squash(unlowerSdkModule('m.js', code)),
      squash(`class Client {
    async start(config) {
            const token = await this.fetch(config);
            return (await token.json()).id + (await (a + b));
        }
}
export const send = async (name) => { await post(name); };`),
    );
  });

  it('turns Object.assign chains on a fresh object into spreads', () => {
    const code = `const a = Object.assign(Object.assign({}, tags), { id: 1, name });
const b = Object.assign({ failureStage: 'offer' }, errorTags(e));
const c = Object.assign(Object.assign({}, x), { get y() { return 1; } });
const d = Object.assign(target, x);`;
    assert.equal(
      unlowerSdkModule('m.js', code),
      `const a = { ...tags, id: 1, name };
const b = { failureStage: 'offer', ...errorTags(e) };
const c = { ...x, ...{ get y() { return 1; } } };
const d = Object.assign(target, x);`,
    );
  });

  it('leaves alone what it cannot rewrite exactly, and keeps the helper for it', () => {
    const code = `${AWAITER}
function a() { return __awaiter(this, arguments, void 0, function* (x = 1) { yield x; }); }
function b() { return __awaiter(this, void 0, void 0, function* () { return arguments.length; }); }
const c = () => __awaiter(void 0, void 0, void 0, function* () { return this.x; });`;
    assert.equal(unlowerSdkModule('m.js', code), code);
  });

  it('keeps what the code does: values, thrown errors and the order of awaits', async () => {
    const code = `${AWAITER}
const log = [];
class Counter {
    constructor() { this.n = 0; }
    step(value) {
        return __awaiter(this, void 0, void 0, function* () {
            log.push('in ' + value);
            this.n += yield Promise.resolve(value);
            if (this.n > 5) throw new Error('too many: ' + this.n + ' after ' + log.join());
            return Object.assign(Object.assign({}, { n: this.n }), { log: log.slice() });
        });
    }
}
const run = () => __awaiter(void 0, void 0, void 0, function* () {
    const counter = new Counter();
    const first = yield counter.step(2);
    yield Promise.all([counter.step(1), counter.step(1)]);
    return [first, yield counter.step(4)];
});`;
    const raised = unlowerSdkModule('m.js', code);
    assert.doesNotMatch(raised, /__awaiter|function\*|Object\.assign/);
    assert.deepEqual(await outcome(raised), await outcome(code));
    // Both parallel steps read n (2) before their await, as `this.n += await …` does.
    assert.deepEqual(await outcome(code), { error: 'too many: 7 after in 2,in 1,in 1,in 4' });
  });

  it("turns TypeScript's optional chains and nullish defaults back into ?. and ??", () => {
    const code = `class A {
    f(options) {
        var _a, _b, _c;
        (_a = this.milestones) === null || _a === void 0 ? void 0 : _a.record("x", { code: options === null || options === void 0 ? void 0 : options.code });
        const url = (_c = (_b = options === null || options === void 0 ? void 0 : options.api) === null || _b === void 0 ? void 0 : _b.baseUrl) !== null && _c !== void 0 ? _c : a || b;
        return url;
    }
}`;
    assert.equal(
      squash(unlowerSdkModule('m.js', code)),
      squash(`class A {
    f(options) {
        var _a, _b, _c;
        this.milestones?.record("x", { code: options?.code });
        const url = (options?.api?.baseUrl ?? (a || b));
        return url;
    }
}`),
    );
  });

  it('leaves an optional chain alone when its temporary is used elsewhere or the call would change its this', () => {
    const code = `function f() {
    var _a, _b;
    const x = (_a = this.a) === null || _a === void 0 ? void 0 : _a.b;
    log(_a);
    return (_b = this.handler) === null || _b === void 0 ? void 0 : _b(1);
}`;
    assert.equal(unlowerSdkModule('m.js', code), code);
  });

  it('keeps what optional chains and nullish defaults evaluate to, and how often they evaluate their operands', async () => {
    const code = `
let reads = 0;
const box = { get inner() { reads++; return this.value; }, value: null };
function probe(v) {
    var _a, _b, _c;
    box.value = v;
    const chained = (_a = box.inner) === null || _a === void 0 ? void 0 : _a.name;
    const called = (_b = box.inner) === null || _b === void 0 ? void 0 : _b.toString();
    const fallback = (_c = box.inner) !== null && _c !== void 0 ? _c : "default";
    return [chained, called, String(fallback)];
}
const run = async () => [probe(null), probe(undefined), probe({ name: "n", toString() { return this.name + "!"; } }), probe(0), reads];`;
    const raised = unlowerSdkModule('m.js', code);
    assert.match(raised, /box\.inner\?\.name/);
    assert.deepEqual(await outcome(raised), await outcome(code));
  });

  it('rewrites every module of the installed SDK into code that parses, with no __awaiter left', () => {
    const root = join(dirname(createRequire(import.meta.url).resolve('@anam-ai/js-sdk/package.json')), 'dist', 'module');
    const files = (readdirSync(root, { recursive: true }) as string[]).filter((file) => file.endsWith('.js'));
    for (const file of files) {
      const out = unlowerSdkModule(file, readFileSync(join(root, file), 'utf8'));
      assert.deepEqual(parseSync(file, out).errors, [], file);
      assert.doesNotMatch(out, /__awaiter|Object\.assign\(Object\.assign|=== null \|\||!== null &&/, file);
    }
  });
});
