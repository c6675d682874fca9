// The SDK's private member names, provably read only as this.NAME inside its own classes, become short
// names (scripts/sdk-private-names.ts); any other way a name could be read keeps it.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { applyEdits } from '../../scripts/edit-source-map.ts';
import { sdkPrivateNameEdits } from '../../scripts/sdk-private-names.ts';

const rename = (code: string, outside: readonly string[] = []) => {
  const { edits, renamed } = sdkPrivateNameEdits(code, (name) => outside.includes(name));
  return { out: applyEdits(code, edits), renamed };
};

describe('sdkPrivateNameEdits', () => {
  it('shortens fields and methods used only through this, the same everywhere, and keeps behaviour', () => {
    const code = `class Counter {
  constructor(step) { this.currentValue = 0; this.stepSize = step; }
  advanceOnce() { this.currentValue += this.stepSize; return this.currentValue; }
  twice() { this.advanceOnce(); return [1].map(() => this.advanceOnce())[0]; }
}
const run = () => new Counter(3).twice();`;
    const { out, renamed } = rename(code, ['twice']);
    assert.deepEqual([...renamed.keys()].sort(), ['advanceOnce', 'currentValue', 'stepSize']);
    assert.doesNotMatch(out, /currentValue|stepSize|advanceOnce/);
    assert.match(out, /twice\(\)/);
    const evaluate = (source: string) => new Function(`${source}; return run();`)() as number;
    assert.equal(evaluate(out), 6);
    assert.equal(evaluate(out), evaluate(code));
  });

  it('keeps every name that something else could read', () => {
    const code = `class Client extends Error { constructor() { super("x"); this.detailsField = 1; } }
class Session {
  constructor() {
    this.readElsewhere = 1; this.objectKey = 2; this.inAString = 3; this.inATemplate = 4; this.then = 5;
    this.widgetReads = 6; this.inFunction = 7; this.shadowedKey = 8;
    const self = this;
    setTimeout(function () { return this.inFunction; });
  }
  get widgetReads() { return 1; }
}
const s = new Session();
use(s.readElsewhere, { objectKey: 1 }, "inAString", \`\${s} inATemplate\`, { shadowedKey });`;
    const { out, renamed } = rename(code, ['widgetReads']);
    assert.deepEqual([...renamed.keys()], []);
    assert.equal(out, code);
  });

  it('refuses this[…] in the SDK: a computed name could be any member', () => {
    assert.throws(() => rename('class A { f(k) { return this[k]; } }'), /this\[…\]/);
  });
});
