import createError from '@fastify/error';

/**
 * Errors of the server's own routes (health, metrics). The token endpoint's coded answers live
 * with the framework-free core: server/token-core/errors.ts.
 */
export const UnauthorizedError = createError<'UNAUTHORIZED', 401, [string?]>(
  'UNAUTHORIZED',
  'Sign in to talk to this persona.',
  401,
);
