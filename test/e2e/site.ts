import { readFile } from 'node:fs/promises';
import { extname, join, normalize } from 'node:path';
import { fileURLToPath } from 'node:url';
import Fastify from 'fastify';

/** The site owner's pages: each embeds the widget with the README's snippet, as pasted. */
export const SITE_PAGES = fileURLToPath(new URL('./pages/', import.meta.url));
/** The host the README's snippet names; the site swaps in the real persona server's origin. */
export const README_PERSONA_HOST = 'https://persona.your-site.example';
/** The Worker's address in the README's Cloudflare recipe; the site swaps in the Worker's origin. */
export const README_WORKER_HOST = 'https://anam-persona-tokens.your-subdomain.workers.dev';

const CONTENT_TYPES: Record<string, string> = { '.html': 'text/html; charset=utf-8', '.js': 'text/javascript; charset=utf-8' };

export interface Site {
  /** The site's own origin (another port than the persona server: another origin). */
  url: string;
  /** The persona server the pages' snippets point at. */
  personaServer: string;
  /** A token endpoint on a third origin (the Cloudflare Worker), for the pages whose snippet names it. */
  tokenServer?: string;
  close(): Promise<void>;
}

/**
 * A site owner's own web server: serves test/e2e/pages from ITS origin, with the README snippet's host
 * replaced by the persona server's (and the Worker's, when there is one), and a strict CSP of its own (the
 * README's "CSP lines your site needs").
 */
export async function startSite(personaServer = '', tokenServer?: string): Promise<Site> {
  // Closing does not wait for the browser's idle keep-alive connections.
  const app = Fastify({ logger: false, forceCloseConnections: true });
  const site: Site = { url: '', personaServer, ...(tokenServer ? { tokenServer } : {}), close: () => app.close() };
  app.get<{ Params: { '*': string } }>('/*', async (request, reply) => {
    const name = normalize(request.params['*'] || 'index.html');
    const type = CONTENT_TYPES[extname(name)];
    if (name.startsWith('..') || !type) return reply.code(404).send('not found');
    const text = await readFile(join(SITE_PAGES, name), 'utf8').catch(() => undefined);
    if (text === undefined) return reply.code(404).send('not found');
    const persona = new URL(site.personaServer);
    const tokenOrigin = site.tokenServer ? new URL(site.tokenServer).origin : undefined;
    reply.header('content-type', type);
    reply.header(
      'content-security-policy',
      [
        "default-src 'self'",
        `script-src 'self' ${persona.origin}`,
        "style-src 'self'",
        // The local engine answers on the persona server, signalling included (Anam's: https/wss://*.anam.ai).
        `connect-src 'self' ${persona.origin} ws://${persona.host}${tokenOrigin ? ` ${tokenOrigin}` : ''}`,
        "media-src 'self' blob: mediastream:",
        "img-src 'self' data:",
      ].join('; '),
    );
    const page = text.replaceAll(README_PERSONA_HOST, persona.origin);
    return tokenOrigin ? page.replaceAll(README_WORKER_HOST, tokenOrigin) : page;
  });
  await app.listen({ port: 0, host: '127.0.0.1' });
  const address = app.server.address();
  site.url = `http://127.0.0.1:${typeof address === 'object' && address ? address.port : 0}`;
  return site;
}
