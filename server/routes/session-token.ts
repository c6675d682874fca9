import type { FastifyInstance, FastifyRequest } from 'fastify';
import cors from '@fastify/cors';
import rateLimit from '@fastify/rate-limit';
import type { Redis } from 'ioredis';
import type { AnamApi } from '../anam-api.ts';
import type { ServerConfig } from '../config.ts';
import {
  ERROR_RESPONSE_SCHEMA,
  InvalidRequestError,
  OriginNotAllowedError,
  RateLimitedError,
  UnauthorizedError,
  UnknownPersonaError,
} from '../errors.ts';
import type { Metrics } from '../metrics.ts';
import { rateLimitStoreOptions } from '../rate-limit-store.ts';
import { findPersonaConfigProblems, type PersonaConfig } from '../persona-config.ts';

/**
 * An operator's own check before a token is minted (a session cookie, a JWT…). Return false to
 * refuse with 401; return a user id to rate-limit per user rather than per address.
 */
export type AuthVerdict = { userId?: string } | boolean | undefined;
export type AuthHook = (request: FastifyRequest) => Promise<AuthVerdict> | AuthVerdict;

export interface SessionTokenRouteOptions {
  config: ServerConfig;
  anamApi: AnamApi;
  metrics: Metrics;
  authHook: AuthHook | undefined;
  redis: Redis | undefined;
  /** The API base the visitor's SDK must use, when it is not Anam's public one. */
  apiBaseUrlFor: (request: FastifyRequest) => string | undefined;
}

declare module 'fastify' {
  interface FastifyRequest {
    authenticatedUserId?: string;
  }
}

const CLIENT_CONFIG_BODY_LIMIT_BYTES = 8 * 1024;

interface SessionTokenBody {
  persona?: string;
  personaConfig?: unknown;
}

/** POST /session-token: one single-use session token for one visitor, never cached or shared. */
export async function sessionTokenRoute(app: FastifyInstance, options: SessionTokenRouteOptions): Promise<void> {
  const { config, anamApi, metrics, authHook } = options;

  // A disallowed site gets no token at all, not merely a response its browser refuses to read.
  app.addHook('onRequest', async (request) => {
    const origin = request.headers.origin;
    if (!origin || origin === `${request.protocol}://${request.host}` || config.allowedOrigins.includes(origin)) return;
    throw new OriginNotAllowedError();
  });
  // JSON only: Fastify would otherwise parse text/plain too.
  app.removeContentTypeParser('text/plain');
  await app.register(cors, {
    origin: true,
    methods: ['POST'],
    allowedHeaders: ['content-type'],
    // A site on another origin reads when to retry (429, 503) only if the header is exposed.
    exposedHeaders: ['retry-after'],
    credentials: true,
    maxAge: 600,
  });
  await app.register(rateLimit, {
    global: false,
    ...rateLimitStoreOptions(options.redis, config.redisFailureMode, app.log),
  });

  const bodySchema = {
    type: 'object',
    additionalProperties: false,
    properties: {
      persona: { type: 'string', minLength: 1, maxLength: 64 },
      ...(config.allowClientPersonaConfig ? { personaConfig: { type: 'object' } } : {}),
    },
  };

  app.post<{ Body: SessionTokenBody | undefined }>(
    '/session-token',
    {
      // A whole persona config (system prompt included) needs more room than a preset name.
      bodyLimit: config.allowClientPersonaConfig ? CLIENT_CONFIG_BODY_LIMIT_BYTES : undefined,
      schema: {
        body: bodySchema,
        response: {
          200: {
            type: 'object',
            properties: { sessionToken: { type: 'string' }, expiresAt: { type: 'string' }, apiBaseUrl: { type: 'string' } },
            required: ['sessionToken'],
          },
          '4xx': ERROR_RESPONSE_SCHEMA,
          '5xx': ERROR_RESPONSE_SCHEMA,
        },
      },
      preValidation: async (request) => {
        // A POST with no body at all asks for the default persona.
        if (request.body === undefined || request.body === null) request.body = {};
      },
      onRequest: async (request) => {
        if (!authHook) return;
        const verdict = await authHook(request);
        if (verdict === false) throw new UnauthorizedError();
        if (typeof verdict === 'object' && verdict.userId) request.authenticatedUserId = verdict.userId;
      },
      config: {
        rateLimit: {
          max: config.rateLimit.max,
          timeWindow: config.rateLimit.windowMs,
          // After validation, so malformed requests do not use up a visitor's allowance.
          hook: 'preHandler',
          keyGenerator: (request: FastifyRequest) =>
            request.authenticatedUserId ? `user:${request.authenticatedUserId}` : `ip:${request.ip}`,
          onExceeded: () => metrics.requestRateLimited(),
          errorResponseBuilder: () => new RateLimitedError(),
        },
      },
    },
    async (request, reply) => {
      const personaConfig = choosePersonaConfig(config, request.body ?? {});
      const controller = new AbortController();
      // A visitor who gives up (closes the tab) should not keep an upstream call going.
      request.raw.once('close', () => {
        if (!reply.sent) controller.abort();
      });
      const minted = await anamApi.mintSessionToken(personaConfig, controller.signal);
      metrics.tokenMinted();
      const apiBaseUrl = options.apiBaseUrlFor(request);
      reply.header('cache-control', 'no-store');
      return { ...minted, ...(apiBaseUrl ? { apiBaseUrl } : {}) };
    },
  );
}

function choosePersonaConfig(config: ServerConfig, body: SessionTokenBody): PersonaConfig {
  if (body.personaConfig !== undefined) {
    const problems = findPersonaConfigProblems(body.personaConfig);
    if (problems.length > 0) throw new InvalidRequestError(problems.join('; '));
    return body.personaConfig as PersonaConfig;
  }
  const name = body.persona ?? config.personas.defaultPreset;
  const preset = config.personas.presets.get(name);
  if (!preset) throw new UnknownPersonaError(name);
  return preset;
}
