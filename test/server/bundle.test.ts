import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import { after, before, describe, it } from 'node:test';
import { brotliDecompressSync, gunzipSync } from 'node:zlib';
import type { InjectOptions, LightMyRequestResponse } from 'fastify';
import { BUNDLE_VERSION } from '../../server/routes/bundle.ts';
import { startApp, type TestApp } from './helpers.ts';

const bundleUrl = new URL('../../dist/anam-persona.js', import.meta.url);
const VERSIONED_PATH = `/dist/v${BUNDLE_VERSION}/anam-persona.js`;
const PAGE_ORIGIN = 'https://shop.example';

describe('the bundle, served for other sites', () => {
  let server: TestApp;
  let raw: Buffer;
  const get = (url: string, headers: InjectOptions['headers'] = {}): Promise<LightMyRequestResponse> =>
    server.app.inject({ method: 'GET', url, headers: { origin: PAGE_ORIGIN, ...headers } });

  before(async () => {
    assert.ok(existsSync(bundleUrl), 'dist/anam-persona.js is missing: run npm run build first');
    raw = readFileSync(bundleUrl);
    server = await startApp({ LOCAL_ENGINE: 'on' }, { servePages: true });
  });
  after(() => server.close());

  it('may be loaded by any site, as a classic script (CORP) or as a module (CORS), without credentials', async () => {
    for (const path of ['/dist/anam-persona.js', VERSIONED_PATH]) {
      const response = await get(path);
      assert.equal(response.statusCode, 200, path);
      assert.equal(response.headers['cross-origin-resource-policy'], 'cross-origin', path);
      assert.equal(response.headers['access-control-allow-origin'], '*', path);
      assert.equal(response.headers['access-control-allow-credentials'], undefined, path);
      assert.match(String(response.headers['content-type']), /^(application|text)\/javascript/, path);
    }
  });

  it('travels as the build wrote it: brotli, gzip or plain by Accept-Encoding, each the same script', async () => {
    const cases = [
      { accept: 'gzip, deflate, br, zstd', encoding: 'br', file: '.br', decode: brotliDecompressSync },
      { accept: 'gzip, deflate', encoding: 'gzip', file: '.gz', decode: gunzipSync },
      { accept: 'identity', encoding: undefined, file: '', decode: (bytes: Buffer) => bytes },
    ];
    for (const { accept, encoding, file, decode } of cases) {
      const response = await get('/dist/anam-persona.js', { 'accept-encoding': accept });
      assert.equal(response.headers['content-encoding'], encoding, accept);
      assert.match(String(response.headers['vary']), /accept-encoding/i, accept);
      // Precompressed at build time: the very bytes of the file beside the bundle, not compressed per request.
      assert.deepEqual(response.rawPayload, readFileSync(new URL(`${bundleUrl.href}${file}`)), accept);
      assert.ok(decode(response.rawPayload).equals(raw), `${accept}: decodes to dist/anam-persona.js`);
    }
    const brotli = await get('/dist/anam-persona.js', { 'accept-encoding': 'br' });
    assert.ok(brotli.rawPayload.length < raw.length / 3, `brotli is ${brotli.rawPayload.length} of ${raw.length} bytes`);
  });

  it('revalidates the plain URL: a short max-age, stale-while-revalidate, and 304 for a matching ETag', async () => {
    for (const accept of ['br', 'gzip', 'identity']) {
      const first = await get('/dist/anam-persona.js', { 'accept-encoding': accept });
      assert.equal(first.headers['cache-control'], 'public, max-age=300, stale-while-revalidate=86400');
      const etag = String(first.headers['etag']);
      assert.match(etag, /^(W\/)?"[^"]+"$/);
      const again = await get('/dist/anam-persona.js', { 'accept-encoding': accept, 'if-none-match': etag });
      assert.equal(again.statusCode, 304, accept);
      assert.equal(again.rawPayload.length, 0);
      assert.equal(again.headers['etag'], etag);
      assert.equal(again.headers['cache-control'], 'public, max-age=300, stale-while-revalidate=86400');
      assert.equal(again.headers['cross-origin-resource-policy'], 'cross-origin');
    }
    const [br, gzip] = await Promise.all([
      get('/dist/anam-persona.js', { 'accept-encoding': 'br' }),
      get('/dist/anam-persona.js', { 'accept-encoding': 'gzip' }),
    ]);
    assert.notEqual(br.headers['etag'], gzip.headers['etag'], 'each encoding has its own validator');
    const changed = await get('/dist/anam-persona.js', { 'if-none-match': '"an-older-build"' });
    assert.equal(changed.statusCode, 200);
  });

  it(`keeps the versioned URL (${VERSIONED_PATH}) a year, immutable, with the same bytes`, async () => {
    const response = await get(VERSIONED_PATH, { 'accept-encoding': 'br' });
    assert.equal(response.statusCode, 200);
    assert.equal(response.headers['cache-control'], 'public, max-age=31536000, immutable');
    assert.ok(brotliDecompressSync(response.rawPayload).equals(raw));
    assert.ok(response.headers['etag']);
  });

  it('leaves the pages their strict CSP and same-origin CORP, and the API same-origin', async () => {
    const home = await get('/');
    assert.equal(home.statusCode, 200);
    assert.match(String(home.headers['content-security-policy']), /script-src 'self'/);
    assert.equal(home.headers['cross-origin-resource-policy'], 'same-origin');
    assert.equal(home.headers['access-control-allow-origin'], undefined);
    const api = await server.app.inject({ method: 'POST', url: '/api/session-token', payload: {} });
    assert.equal(api.statusCode, 200);
    assert.equal(api.headers['cross-origin-resource-policy'], 'same-origin');
    assert.equal(api.headers['access-control-allow-origin'], undefined);
    // Token replies carry the pages' security headers too (helmet's, worked out once at start).
    assert.equal(api.headers['x-content-type-options'], 'nosniff');
    assert.equal(api.headers['content-security-policy'], home.headers['content-security-policy']);
    assert.equal(api.headers['strict-transport-security'], home.headers['strict-transport-security']);
  });
});
