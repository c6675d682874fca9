import { readFileSync } from 'node:fs';
import type { FastifyInstance, FastifyReply } from 'fastify';
import fastifyStatic from '@fastify/static';

/** The plain URL is reused this long without asking, then revalidated (a 304 costs a few bytes). */
export const BUNDLE_MAX_AGE_SECONDS = 300;
/** …and meanwhile a stale copy is used while the check runs in the background. */
export const BUNDLE_STALE_WHILE_REVALIDATE_SECONDS = 86_400;
/** A versioned URL never changes: browsers and CDNs keep it a year without asking. */
export const VERSIONED_MAX_AGE_SECONDS = 31_536_000;

const PLAIN_CACHE_CONTROL = `public, max-age=${BUNDLE_MAX_AGE_SECONDS}, stale-while-revalidate=${BUNDLE_STALE_WHILE_REVALIDATE_SECONDS}`;
const VERSIONED_CACHE_CONTROL = `public, max-age=${VERSIONED_MAX_AGE_SECONDS}, immutable`;

/** The package version, which names the versioned bundle URL: `/dist/v<version>/anam-persona.js`. */
export const BUNDLE_VERSION = (
  JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as { version: string }
).version;
export const VERSIONED_BUNDLE_PREFIX = `/dist/v${BUNDLE_VERSION}/`;

export interface BundleRoutesOptions {
  /** The built dist/ folder. */
  root: string;
}

/**
 * Serves dist/ to other sites' pages: public and credential-free, so any origin may load it, as a
 * classic script (CORP cross-origin) or as `type="module"` (CORS `*`); the build's brotli and gzip
 * files by Accept-Encoding; an ETag on each; and a cache policy for the plain and the versioned URL.
 */
export async function bundleRoutes(app: FastifyInstance, { root }: BundleRoutesOptions): Promise<void> {
  const publicFile = (cacheControl: string) => (reply: FastifyReply) => {
    reply.header('cross-origin-resource-policy', 'cross-origin');
    reply.header('access-control-allow-origin', '*');
    reply.header('cache-control', cacheControl);
  };
  const shared = { root, preCompressed: true, cacheControl: false, etag: true, lastModified: true, decorateReply: false };
  await app.register(fastifyStatic, { ...shared, prefix: '/dist/', setHeaders: publicFile(PLAIN_CACHE_CONTROL) });
  await app.register(fastifyStatic, {
    ...shared,
    prefix: VERSIONED_BUNDLE_PREFIX,
    setHeaders: publicFile(VERSIONED_CACHE_CONTROL),
  });
}
