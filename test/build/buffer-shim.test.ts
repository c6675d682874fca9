// The shim that replaces the `buffer` polyfill in dist/anam-persona.js, checked against Node's own Buffer.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { Buffer as Shim } from '../../widget/buffer-shim.ts';

const decode = (base64: string) => Shim.from(base64, 'base64').toString('utf8');
const claims = { personaName: 'Zoë', city: 'Zürich', greeting: 'こんにちは 👋', note: '~~~???>>>' };
const json = JSON.stringify(claims);

describe('buffer shim: Buffer.from(base64).toString(utf8), as the SDK reads a session token', () => {
  it('decodes standard, padded base64 with multi-byte UTF-8', () => {
    assert.deepEqual(JSON.parse(decode(Buffer.from(json).toString('base64'))), claims);
  });

  it('decodes URL-safe base64 without padding (what a JWT carries)', () => {
    const urlSafe = Buffer.from(json).toString('base64url');
    assert.match(urlSafe, /[-_]/, 'the sample exercises both URL-safe characters');
    assert.ok(!urlSafe.endsWith('='));
    assert.deepEqual(JSON.parse(decode(urlSafe)), claims);
  });

  it('reads a real token payload segment', () => {
    const token = `e30.${Buffer.from('{"sub":"visitor-é","exp":1}').toString('base64url')}.sig`;
    assert.equal(decode(token.split('.')[1]!), '{"sub":"visitor-é","exp":1}');
  });

  it('reads odd input exactly as Node does', () => {
    const inputs = [
      '',
      'YQ',
      'YQ=',
      'YQ==',
      'Y',
      'YWJjZA',
      'YW Jj\nZA==',
      'YQ==YQ==',
      '====',
      '//79',
      '__79',
      'zz*zz',
      '8J-YgA',
      '8J+YgA==',
    ];
    for (const input of inputs) assert.equal(decode(input), Buffer.from(input, 'base64').toString('utf8'), JSON.stringify(input));
  });

  it('turns malformed UTF-8 into U+FFFD, as Node does', () => {
    const broken = Buffer.from([0x7b, 0xc3, 0x28, 0xff, 0x7d]).toString('base64');
    assert.equal(decode(broken), Buffer.from(broken, 'base64').toString('utf8'));
    assert.ok(decode(broken).includes('\ufffd'));
  });
});

describe('buffer shim: Buffer.byteLength(text, utf8), as the SDK measures a tag', () => {
  it('counts UTF-8 bytes, not characters', () => {
    assert.equal(Shim.byteLength('persona', 'utf8'), 7);
    assert.equal(Shim.byteLength('é', 'utf8'), 2);
    assert.equal(Shim.byteLength('日本語', 'utf8'), 9);
    assert.equal(Shim.byteLength('👋', 'utf8'), 4);
    assert.equal(Shim.byteLength('é'.repeat(33), 'utf8'), 66, 'over the SDK’s 64-byte tag limit in 33 characters');
  });

  it('counts lone surrogates as Node does', () => {
    for (const text of ['\ud800', 'a\udc00b', '\ud83d'])
      assert.equal(Shim.byteLength(text, 'utf8'), Buffer.byteLength(text, 'utf8'));
  });
});

describe('buffer shim: anything else fails loudly, naming what is missing', () => {
  const names = (what: RegExp) => ({ message: new RegExp(`${what.source}.*not in anam-persona's buffer shim`) });

  it('an unknown Buffer method', () => {
    assert.throws(() => (Shim as unknown as { alloc(size: number): unknown }).alloc(4), names(/Buffer\.alloc/));
  });

  it('another encoding or input', () => {
    assert.throws(() => Shim.from('abcd', 'hex'), names(/Buffer\.from\(string, hex\)/));
    assert.throws(() => Shim.from(new Uint8Array(2) as unknown as string, 'base64'), names(/Buffer\.from\(object, base64\)/));
    assert.throws(() => Shim.byteLength('abcd', 'base64'), names(/Buffer\.byteLength with encoding 'base64'/));
    assert.throws(() => Shim.from('YQ', 'base64').toString('latin1'), names(/buf\.toString with encoding 'latin1'/));
  });

  it('an unknown method on the decoded bytes', () => {
    const bytes = Shim.from('YQ', 'base64') as unknown as { readUInt8(offset: number): number };
    assert.throws(() => bytes.readUInt8(0), names(/buf\.readUInt8/));
  });
});
