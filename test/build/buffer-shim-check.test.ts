// The build's guard for the buffer shim: the SDK it bundles must call Buffer only as the shim allows.
import assert from 'node:assert/strict';
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { after, describe, it } from 'node:test';
import { build } from 'vite';
import { gzipBudget } from '../../scripts/bundle-budget.ts';
import { bufferShim, bufferUsesBeyondShim } from '../../scripts/buffer-shim-check.ts';

const SHIM = fileURLToPath(new URL('../../widget/buffer-shim.ts', import.meta.url));
const sdkModules = join(dirname(createRequire(import.meta.url).resolve('@anam-ai/js-sdk/package.json')), 'dist', 'module');
const work = mkdtempSync(join(tmpdir(), 'anam-shim-check-'));
after(() => rmSync(work, { recursive: true, force: true }));

/** Builds `code` as an IIFE with the widget's plugins; resolves to the error message, or undefined. */
async function buildFailure(code: string, budget?: number): Promise<string | undefined> {
  const entry = join(work, `entry-${Math.random().toString(36).slice(2)}.js`);
  writeFileSync(entry, code);
  try {
    await build({
      configFile: false,
      logLevel: 'silent',
      root: work,
      plugins: [bufferShim(SHIM), ...(budget === undefined ? [] : [gzipBudget('out.js', budget)])],
      build: { outDir: join(work, 'out'), lib: { entry, formats: ['iife'], name: 'x', fileName: () => 'out.js' } },
    });
    return undefined;
  } catch (error) {
    return (error as Error).message;
  }
}

describe('the installed @anam-ai/js-sdk against the buffer shim', () => {
  it('calls Buffer only in ways the shim implements', () => {
    const files = (readdirSync(sdkModules, { recursive: true }) as string[]).filter((file) => file.endsWith('.js'));
    const importers = files.filter((file) => /from\s*['"]buffer['"]/.test(readFileSync(join(sdkModules, file), 'utf8')));
    assert.ok(importers.length > 0, 'the SDK no longer imports buffer: drop widget/buffer-shim.ts and its alias');
    for (const file of importers)
      assert.deepEqual(bufferUsesBeyondShim(readFileSync(join(sdkModules, file), 'utf8')), [], `${file} needs more of Buffer`);
  });
});

describe('bufferUsesBeyondShim', () => {
  it('accepts the calls the shim implements', () => {
    const code = `import { Buffer } from 'buffer';\nconst a = Buffer.from(p, 'base64').toString('utf8');\nif (Buffer.byteLength(tag, "utf8") > 64) {}`;
    assert.deepEqual(bufferUsesBeyondShim(code), []);
  });

  it('names every call it does not implement', () => {
    const code = [
      `import { Buffer } from 'buffer';`,
      `Buffer.alloc(4);`,
      `Buffer.from(text, 'hex').toString('utf8');`,
      `Buffer.from(p, 'base64').toString('latin1');`,
      `Buffer.from(p, 'base64');`,
      `Buffer.concat([a, b]);`,
      `new Buffer(3);`,
      `x instanceof Buffer;`,
    ].join('\n');
    assert.deepEqual(bufferUsesBeyondShim(code), [
      'Buffer.alloc(_)',
      "Buffer.from(_, 'hex').toString('utf8')",
      "Buffer.from(_, 'base64').toString('latin1')",
      "Buffer.from(_, 'base64')",
      'Buffer.concat(_)',
      'Buffer(3);',
      'Buffer;',
    ]);
  });
});

describe('the widget build', () => {
  it('stops when bundled code calls Buffer beyond the shim, naming the call', async () => {
    const message = await buildFailure(`import { Buffer } from 'buffer';\nconsole.log(Buffer.alloc(8));`);
    assert.match(message ?? 'built', /uses Buffer beyond widget\/buffer-shim\.ts: Buffer\.alloc\(_\)/);
  });

  it('bundles the shim for the calls it implements', async () => {
    assert.equal(await buildFailure(`import { Buffer } from 'buffer';\nconsole.log(Buffer.byteLength('é', 'utf8'));`), undefined);
    const out = readFileSync(join(work, 'out', 'out.js'), 'utf8');
    assert.match(out, /buffer shim/, 'the shim, not the polyfill, is inside');
    assert.doesNotMatch(out, /ieee754|readDoubleLE/i);
  });

  it('stops when the script outgrows its gzip budget', async () => {
    const code = `console.log(${JSON.stringify(Array.from({ length: 400 }, (_, i) => `line ${i * 7919}`).join())});`;
    assert.match((await buildFailure(code, 200)) ?? 'built', /out\.js is \d+ bytes gzip -9, over its budget of 200/);
    assert.equal(await buildFailure(code, 100_000), undefined);
  });
});
