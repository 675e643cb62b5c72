import { decodeProtectedHeader, errors, jwtVerify, type JWTPayload } from 'jose';
import type { Clock } from '../lib/clock.js';
import type { ClientRegistry } from './clientRegistry.js';
import { InvalidTokenError } from './invalidTokenError.js';
import { ScopePermissions } from './scopePermissions.js';
import { SIGNING_ALGORITHM, type SigningKeyRing } from './signingKeys.js';
import type { TokenPolicy } from './tokenPolicy.js';
import { tokenStandingProblem, type TokenFacts } from './tokenStanding.js';

/** What the gateway learns from a good token. */
export interface VerifiedToken extends TokenFacts {
  jti: string;
  kid: string;
  issuedAt: number;
  expiresAt: number;
  notBefore: number;
  /** What its SMART scopes allow; undefined when it has none, which is full access (the original contract). */
  permissions: ScopePermissions | undefined;
}

export interface TokenVerifierOptions {
  keys: SigningKeyRing;
  clients: ClientRegistry;
  policy: TokenPolicy;
  clock: Clock;
  issuer: string;
  audience: string;
}

// Signature checks dominate the cost of an authenticated read; a bounded cache of tokens already
// verified skips them. Everything that can change after verification is re-checked on each hit.
const CACHE_LIMIT = 5_000;

/**
 * Cached verifications are found by the token's last characters, the end of its signature, rather
 * than the whole ~550-character token, which a Map would hash on every request; the full token is
 * compared on a hit, so only the very bytes that verified are served from the cache. A fixed-length
 * tail needs no search for the signature's start, and tokens alike there only miss the cache.
 */
interface CachedVerification {
  token: string;
  verified: VerifiedToken;
}

// Half an ES256 signature (86 characters): 256 bits of it, far past any chance of two tokens alike.
const CACHE_KEY_LENGTH = 43;

function cacheKeyOf(token: string): string {
  return token.slice(-CACHE_KEY_LENGTH);
}

export class TokenVerifier {
  readonly #options: TokenVerifierOptions;
  readonly #verified = new Map<string, CachedVerification>();
  // The verification found last: a client sends the same token request after request, and comparing
  // it with the one before costs less than cutting its key, hashing that and looking it up.
  #last: CachedVerification | undefined;

  constructor(options: TokenVerifierOptions) {
    this.#options = options;
  }

  /** The cached verification re-checked, without a promise: the gateway's hot path. Undefined when not cached. */
  verifyCached(token: string): VerifiedToken | undefined {
    const cached = this.#cached(token);
    if (cached) this.#checkStillValid(cached);
    return cached;
  }

  async verify(token: string): Promise<VerifiedToken> {
    const cached = this.#cached(token);
    const verified = cached ?? (await this.#verifySignatureAndClaims(token));
    this.#checkStillValid(verified);
    if (!cached) this.#remember(token, verified);
    return verified;
  }

  /** Forget cached verifications, e.g. after a key rotation. */
  clearCache(): void {
    this.#verified.clear();
    this.#last = undefined;
  }

  async #verifySignatureAndClaims(token: string): Promise<VerifiedToken> {
    const { keys, clock, issuer, audience } = this.#options;
    let kid: string | undefined;
    try {
      const header = decodeProtectedHeader(token);
      kid = header.kid;
      if (header.alg !== SIGNING_ALGORITHM) {
        throw new InvalidTokenError('bad-signature', `tokens are signed with ${SIGNING_ALGORITHM}, not ${String(header.alg)}`);
      }
    } catch (error) {
      if (error instanceof InvalidTokenError) throw error;
      throw new InvalidTokenError('malformed', 'the bearer token is not a JWT');
    }
    const key = keys.verificationKey(kid);
    if (!key) throw new InvalidTokenError('unknown-key', 'the token was not signed by a current key of this sandbox');
    let payload: JWTPayload;
    try {
      ({ payload } = await jwtVerify(token, key, {
        algorithms: [SIGNING_ALGORITHM],
        issuer,
        audience,
        currentDate: new Date(clock.now()),
        requiredClaims: ['sub', 'exp', 'iat', 'jti', 'scope'],
      }));
    } catch (error) {
      throw translateJoseError(error);
    }
    return toVerifiedToken(payload, kid as string);
  }

  #cached(token: string): VerifiedToken | undefined {
    if (this.#last !== undefined && this.#last.token === token) return this.#last.verified;
    const entry = this.#verified.get(cacheKeyOf(token));
    if (entry === undefined || entry.token !== token) return undefined;
    this.#last = entry;
    return entry.verified;
  }

  #checkStillValid(token: VerifiedToken): void {
    const { clock, keys, clients, policy } = this.#options;
    const now = clock.now();
    if (now >= token.expiresAt) throw new InvalidTokenError('expired', 'the token has expired');
    if (now < token.notBefore) throw new InvalidTokenError('not-yet-valid', 'the token is not valid yet (nbf)');
    if (!keys.verificationKey(token.kid)) throw new InvalidTokenError('unknown-key', 'the token was signed by a key that has been rotated away');
    const problem = tokenStandingProblem(token, clients, policy);
    if (problem) throw new InvalidTokenError(problem.reason, problem.message);
  }

  #remember(token: string, verified: VerifiedToken): void {
    if (this.#verified.size >= CACHE_LIMIT) {
      this.#last = undefined;
      const now = this.#options.clock.now();
      for (const [key, entry] of this.#verified) if (entry.verified.expiresAt <= now) this.#verified.delete(key);
      if (this.#verified.size >= CACHE_LIMIT) {
        const oldest = this.#verified.keys().next().value;
        if (oldest !== undefined) this.#verified.delete(oldest);
      }
    }
    this.#verified.set(cacheKeyOf(token), { token, verified });
  }
}

function toVerifiedToken(payload: JWTPayload, kid: string): VerifiedToken {
  const { tid: tenantId, reg: registration, seq: sequence } = payload;
  if (typeof tenantId !== 'string' || typeof payload.sub !== 'string' || typeof payload.jti !== 'string') {
    throw new InvalidTokenError('missing-claim', 'the token lacks its tenant (tid), subject or jti');
  }
  if (!Number.isSafeInteger(registration) || !Number.isSafeInteger(sequence)) {
    throw new InvalidTokenError('missing-claim', 'the token lacks its client registration (reg) or issue number (seq)');
  }
  return {
    clientId: payload.sub,
    tenantId,
    registration: registration as number,
    sequence: sequence as number,
    jti: payload.jti,
    kid,
    issuedAt: (payload.iat ?? 0) * 1000,
    expiresAt: (payload.exp ?? 0) * 1000,
    notBefore: (payload.nbf ?? 0) * 1000,
    permissions: typeof payload['scope'] === 'string' ? ScopePermissions.fromScope(payload['scope']) : undefined,
  };
}

function translateJoseError(error: unknown): InvalidTokenError {
  if (error instanceof errors.JWTExpired) return new InvalidTokenError('expired', 'the token has expired');
  if (error instanceof errors.JWTClaimValidationFailed) {
    switch (error.claim) {
      case 'iss':
        return new InvalidTokenError('wrong-issuer', 'the token was not issued by this sandbox (iss)');
      case 'aud':
        return new InvalidTokenError('wrong-audience', 'the token is not meant for this gateway (aud)');
      case 'nbf':
        return new InvalidTokenError('not-yet-valid', 'the token is not valid yet (nbf)');
      case 'iat':
        return new InvalidTokenError('not-yet-valid', 'the token was issued in the future (iat)');
      default:
        return new InvalidTokenError('missing-claim', `the token's ${error.claim} claim is missing or wrong`);
    }
  }
  if (error instanceof errors.JWSSignatureVerificationFailed) {
    return new InvalidTokenError('bad-signature', 'the token signature does not verify');
  }
  return new InvalidTokenError('malformed', 'the bearer token could not be verified');
}
