import { createHmac, randomBytes, randomUUID, timingSafeEqual } from 'node:crypto';

export const SESSION_TOKEN_TTL_SECONDS = 3600;

export interface SessionTokenClaims {
  jti: string;
  accountId: string;
  type: 'ephemeral' | 'stateful';
  /** The persona config the token was minted for, as Anam's tokens carry it. */
  personaConfig: Record<string, unknown>;
  iat: number;
  exp: number;
}

const HEADER = base64url(JSON.stringify({ alg: 'HS256', typ: 'JWT' }));

function base64url(text: string | Buffer): string {
  return Buffer.from(text).toString('base64url');
}

/**
 * Mints and checks the engine's JWT-shaped session tokens (HS256): the SDK decodes the payload,
 * the engine verifies the signature, the expiry, and that each token starts one session only.
 */
export class SessionTokens {
  private readonly secret: Buffer;
  /** Token ids already used to start a session, until they expire anyway. */
  private readonly used = new Map<string, number>();

  constructor(
    secret?: string,
    private readonly ttlSeconds = SESSION_TOKEN_TTL_SECONDS,
    private readonly now: () => number = Date.now,
  ) {
    this.secret = secret ? Buffer.from(secret) : randomBytes(32);
  }

  mint(accountId: string, personaConfig: Record<string, unknown>): string {
    const iat = Math.floor(this.now() / 1000);
    const claims: SessionTokenClaims = {
      jti: randomUUID(),
      accountId,
      type: 'personaId' in personaConfig ? 'stateful' : 'ephemeral',
      personaConfig,
      iat,
      exp: iat + this.ttlSeconds,
    };
    const body = `${HEADER}.${base64url(JSON.stringify(claims))}`;
    return `${body}.${this.sign(body)}`;
  }

  /** The claims of a valid, unexpired token, or the reason it is not one. */
  verify(token: string): { claims: SessionTokenClaims } | { problem: string } {
    const [header, payload, signature, ...rest] = token.split('.');
    if (!header || !payload || !signature || rest.length > 0) return { problem: 'malformed token' };
    const expected = Buffer.from(this.sign(`${header}.${payload}`));
    const given = Buffer.from(signature);
    if (expected.length !== given.length || !timingSafeEqual(expected, given)) return { problem: 'bad signature' };
    let claims: SessionTokenClaims;
    try {
      claims = JSON.parse(Buffer.from(payload, 'base64url').toString('utf8')) as SessionTokenClaims;
    } catch {
      return { problem: 'malformed token' };
    }
    if (claims.exp * 1000 <= this.now()) return { problem: 'token expired' };
    return { claims };
  }

  /** Marks a token as spent; false when it had been spent already. */
  spend(claims: SessionTokenClaims): boolean {
    this.forgetExpired();
    if (this.used.has(claims.jti)) return false;
    this.used.set(claims.jti, claims.exp);
    return true;
  }

  private forgetExpired(): void {
    const nowSeconds = this.now() / 1000;
    for (const [jti, exp] of this.used) if (exp <= nowSeconds) this.used.delete(jti);
  }

  private sign(body: string): string {
    return createHmac('sha256', this.secret).update(body).digest('base64url');
  }
}
