/**
 * How long the widget waits for one token request. The token server's whole-request deadline
 * (server/token-core/core.ts, DEFAULT_DEADLINE_MS) is shorter, so the visitor gets the server's
 * coded answer rather than a timeout; a server test holds the two in agreement.
 */
export const TOKEN_TIMEOUT_MS = 10_000;
