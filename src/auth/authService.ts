import type { EventBus } from '../events/eventBus.js';
import type { Clock } from '../lib/clock.js';
import { ClientRegistry } from './clientRegistry.js';
import { IssuedTokens, type IssuedToken } from './issuedTokens.js';
import { IssueSequence } from './issueSequence.js';
import { OAuthError } from './oauthError.js';
import { SigningKeyRing } from './signingKeys.js';
import { TokenIssuer, type TokenResponse } from './tokenIssuer.js';
import { TokenPolicy } from './tokenPolicy.js';
import { BASIC_CHALLENGE, parseTokenRequest, type FormFields } from './tokenRequest.js';
import { tokenStandingProblem } from './tokenStanding.js';
import { TokenVerifier, type VerifiedToken } from './tokenVerifier.js';

/** The token response body, and who it was for (for logs and events). */
export interface IssuedTokenResult {
  body: TokenResponse;
  clientId: string;
  tenantId: string;
  jti: string;
}

export interface AuthOptions {
  clock: Clock;
  events: EventBus;
  issuer: string;
  audience: string;
  tokenLifetimeSeconds: number;
  /** The token service's clock offset at start (see TokenPolicy.clockSkewSeconds). */
  clockSkewSeconds?: number | undefined;
  strict: boolean;
  signingKeyFile?: string | undefined;
  /** Whether a tenant ID exists (the tenant directory answers). */
  tenantExists: (tenantId: string) => boolean;
}

/** The partner's authorization server: client registry, signing keys, token issuing and checking. */
export class AuthService {
  readonly clients: ClientRegistry;
  readonly keys: SigningKeyRing;
  readonly policy: TokenPolicy;
  readonly issuedTokens: IssuedTokens;
  readonly verifier: TokenVerifier;
  readonly #issuer: TokenIssuer;
  readonly #options: AuthOptions;

  private constructor(options: AuthOptions, keys: SigningKeyRing) {
    this.#options = options;
    this.keys = keys;
    this.clients = new ClientRegistry(options.clock);
    this.issuedTokens = new IssuedTokens(options.clock);
    const sequence = new IssueSequence(options.clock);
    this.policy = new TokenPolicy(options.tokenLifetimeSeconds, options.clockSkewSeconds ?? 0, sequence);
    const shared = { keys, policy: this.policy, clock: options.clock, issuer: options.issuer, audience: options.audience };
    this.#issuer = new TokenIssuer({ ...shared, ledger: this.issuedTokens, sequence });
    this.verifier = new TokenVerifier({ ...shared, clients: this.clients });
  }

  static async create(options: AuthOptions): Promise<AuthService> {
    return new AuthService(options, await SigningKeyRing.create(options.clock, options.signingKeyFile));
  }

  /** The token endpoint's logic: RFC 6749 client credentials, the tenant in `scope`. */
  async requestToken(form: FormFields, authorization: string | undefined): Promise<IssuedTokenResult> {
    const request = parseTokenRequest(form, authorization, this.#options.strict);
    if (!this.clients.authenticate(request.clientId, request.clientSecret)) {
      throw new OAuthError('invalid_client', 'unknown client or wrong secret', {
        ...(request.authMethod === 'client_secret_basic' ? { wwwAuthenticate: BASIC_CHALLENGE } : {}),
      });
    }
    if (!this.#options.tenantExists(request.tenantId)) {
      throw new OAuthError('invalid_scope', `unknown tenant ${request.tenantId}`);
    }
    if (!this.clients.mayUseTenant(request.clientId, request.tenantId)) {
      throw new OAuthError('invalid_scope', `client ${request.clientId} is not registered for tenant ${request.tenantId}`);
    }
    const { events, clock } = this.#options;
    if (request.misspelledGrantType) {
      events.emit({
        type: 'warning',
        at: clock.now(),
        message: `client ${request.clientId} sent "grant-type" instead of "grant_type"; accepted because the sandbox is lenient (strict mode refuses it)`,
      });
    }
    const registration = this.clients.registrationOf(request.clientId) as number;
    const { jti, expiresAt, ...body } = await this.#issuer.issue({ clientId: request.clientId, registration, tenantId: request.tenantId });
    events.emit({ type: 'token-issued', at: clock.now(), clientId: request.clientId, tenantId: request.tenantId, jti, expiresAt });
    return { body, clientId: request.clientId, tenantId: request.tenantId, jti };
  }

  /** Whether an issued token would still be honoured (its expiry and key aside): for the token counts. */
  isHonoured(token: IssuedToken): boolean {
    return tokenStandingProblem(token, this.clients, this.policy) === undefined;
  }

  /** Verifies a bearer token; throws InvalidTokenError. */
  verify(token: string): Promise<VerifiedToken> {
    return this.verifier.verify(token);
  }
}
