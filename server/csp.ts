import type { ServerConfig } from './config.ts';

/**
 * The Content-Security-Policy of the pages this server serves: the widget runs under it with no
 * inline script, no eval and no inline style (Lit adopts constructed stylesheets).
 */
export function contentSecurityPolicy(config: ServerConfig): Record<string, string[]> {
  const upstream = config.anamApiBase ? [config.anamApiBase, websocketOrigin(config.anamApiBase)] : [];
  // Anam's engines are reached on their own hosts (engineHost in the session reply).
  const anamEngines = config.anamApiBase ? ['https://*.anam.ai', 'wss://*.anam.ai'] : [];
  return {
    'default-src': ["'self'"],
    'script-src': ["'self'"],
    'style-src': ["'self'"],
    'img-src': ["'self'", 'data:'],
    'media-src': ["'self'", 'blob:', 'mediastream:'],
    'connect-src': ["'self'", ...upstream, ...anamEngines],
    'font-src': ["'self'"],
    'object-src': ["'none'"],
    'base-uri': ["'self'"],
    'frame-ancestors': ["'self'"],
    'form-action': ["'self'"],
  };
}

function websocketOrigin(httpUrl: string): string {
  const url = new URL(httpUrl);
  return `${url.protocol === 'https:' ? 'wss:' : 'ws:'}//${url.host}`;
}
