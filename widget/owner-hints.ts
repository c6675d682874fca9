import type { WidgetError } from './widget-error.ts';

const PREFIX = '<anam-persona>:';
const IS_IT_THE_ENDPOINT = "is data-token-endpoint the server's /api/session-token (POST)?";

/**
 * What the site owner should read in the console for a failure that is a configuration mistake
 * (the visitor only sees the short, translated message); undefined for failures that are not.
 */
export function ownerHint(error: WidgetError, endpoint: string, pageOrigin: string): string | undefined {
  const { code, detail } = error;
  if (code === 'MISSING_ENDPOINT') {
    return `${PREFIX} the data-token-endpoint attribute is missing, so the widget cannot start. Add data-token-endpoint="https://<your server>/api/session-token" to the element.`;
  }
  if (detail === 'HTTP_404' || detail === 'HTTP_405' || detail === 'HTTP_501') {
    return `${PREFIX} the token endpoint ${endpoint} answered ${detail.slice(5)} to a POST: ${IS_IT_THE_ENDPOINT}`;
  }
  if (detail === 'NOT_JSON' || error.message.endsWith('not JSON')) {
    return `${PREFIX} the token endpoint ${endpoint} answered with something other than JSON (an HTML page?): ${IS_IT_THE_ENDPOINT}`;
  }
  if (detail === 'NETWORK') {
    return `${PREFIX} could not reach the token endpoint ${endpoint} (a network failure, or the browser refused the answer for CORS): is the server running, ${IS_IT_THE_ENDPOINT} And is ${pageOrigin} in its ALLOWED_ORIGINS?`;
  }
  if (code === 'NOT_ALLOWED' && detail === 'ORIGIN_NOT_ALLOWED') {
    return `${PREFIX} the token endpoint ${endpoint} refused this page's origin: add ${pageOrigin} to the server's ALLOWED_ORIGINS.`;
  }
  return undefined;
}
