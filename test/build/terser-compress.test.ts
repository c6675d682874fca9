// The second minifier pass: terser's compress over the chunk before Vite's minifier.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { terserCompress } from '../../scripts/terser-compress.ts';

type RenderChunk = (code: string, chunk: { fileName: string }) => Promise<{ code: string; map: { mappings: string } } | null>;
const renderChunk = terserCompress('out.js').renderChunk as unknown as RenderChunk;

describe('terserCompress', () => {
  const code = `(function () {
  function label(state) { return state === 'live' ? 'Connected' : 'Idle'; }
  const unused = Object.freeze({ a: 1 });
  window.render = (state) => '<p>' + label(state) + '</p>';
})();`;

  it('inlines what is called once and drops what is never used, with a source map', async () => {
    const result = (await renderChunk(code, { fileName: 'out.js' }))!;
    assert.doesNotMatch(result.code, /function label|unused/);
    assert.match(result.code, /Connected/);
    assert.ok(result.map.mappings.length > 0);
    const render = new Function('window', `${result.code}; return window.render;`)({}) as (state: string) => string;
    assert.equal(render('live'), '<p>Connected</p>');
    assert.equal(render('idle'), '<p>Idle</p>');
  });

  it('leaves other chunks alone', async () => {
    assert.equal(await renderChunk(code, { fileName: 'other.js' }), null);
  });
});
