import type { EventBus } from '../events/eventBus.js';
import type { Clock } from '../lib/clock.js';
import { AssertionReplayGuard } from './assertionReplayGuard.js';
import { verifyClientAssertion } from './clientAssertion.js';
import { ClientRegistry } from './clientRegistry.js';
import { DEFAULT_JWKS_LIMITS, type JwksFetchLimits } from './fetchJwks.js';
import { IssuedTokens, type IssuedToken } from './issuedTokens.js';
import { IssueSequence } from './issueSequence.js';
import { OAuthError } from './oauthError.js';
import { grantedScopes } from './scopeGrant.js';
import { scryptSecretsOffThread } from './secretHash.js';
import { SigningKeyRing } from './signingKeys.js';
import { TokenIssuer, type TokenResponse } from './tokenIssuer.js';
import { TokenPolicy } from './tokenPolicy.js';
import { BASIC_CHALLENGE, parseTokenRequest, type FormFields, type TokenRequest } from './tokenRequest.js';
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
  /** The resource types a tenant's server serves, which SMART scopes may name; absent: any name. */
  servedTypes?: ((tenantId: string) => readonly string[] | undefined) | undefined;
  /** Limits on fetching clients' JWKS URLs. */
  jwksLimits?: JwksFetchLimits | undefined;
}

/** Where a token request arrived: the token endpoint URL as advertised, which assertions must name in `aud`. */
export interface TokenEndpoint {
  tokenUrl: string;
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
  readonly #replay: AssertionReplayGuard;

  private constructor(options: AuthOptions, keys: SigningKeyRing) {
    this.#options = options;
    this.keys = keys;
    this.clients = new ClientRegistry(options.clock, scryptSecretsOffThread, options.jwksLimits ?? DEFAULT_JWKS_LIMITS);
    this.#replay = new AssertionReplayGuard(options.clock);
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

  /**
   * The token endpoint's logic: RFC 6749 client credentials, the tenant in `scope`, the client
   * authenticated by a secret or (private_key_jwt) by an assertion that must name `endpoint.tokenUrl`.
   */
  async requestToken(form: FormFields, authorization: string | undefined, endpoint?: TokenEndpoint): Promise<IssuedTokenResult> {
    const request = parseTokenRequest(form, authorization, this.#options.strict);
    const clientId = await this.#authenticate(request, endpoint);
    const { tenantId } = request;
    if (!this.#options.tenantExists(tenantId)) {
      throw new OAuthError('invalid_scope', `unknown tenant ${tenantId}`);
    }
    if (!this.clients.mayUseTenant(clientId, tenantId)) {
      throw new OAuthError('invalid_scope', `client ${clientId} is not registered for tenant ${tenantId}`);
    }
    const scopes = grantedScopes({ scope: request.scope, clientId, allowed: this.clients.allowedScopesOf(clientId), servedTypes: this.#options.servedTypes?.(tenantId) });
    const { events, clock } = this.#options;
    if (request.misspelledGrantType) {
      events.emit({
        type: 'warning',
        at: clock.now(),
        message: `client ${clientId} sent "grant-type" instead of "grant_type"; accepted because the sandbox is lenient (strict mode refuses it)`,
      });
    }
    const registration = this.clients.registrationOf(clientId) as number;
    // Named fields rather than an object rest: taking `jti` and `expiresAt` off by rest cost microseconds per token.
    const { response, jti, expiresAt } = await this.#issuer.issue({ clientId, registration, tenantId, scopes });
    events.emit({ type: 'token-issued', at: clock.now(), clientId, tenantId, jti, expiresAt });
    return { body: response, clientId, tenantId, jti };
  }

  /** The client id the request proves, by its secret or its assertion; throws OAuthError invalid_client. */
  async #authenticate(request: TokenRequest, endpoint: TokenEndpoint | undefined): Promise<string> {
    if (request.authMethod === 'private_key_jwt') {
      if (endpoint === undefined) throw new TypeError('requestToken needs the token endpoint URL to check a client assertion');
      const context = { tokenUrl: endpoint.tokenUrl, clientId: request.clientId };
      return verifyClientAssertion(request.clientAssertion, context, { clients: this.clients, clock: this.#options.clock, replay: this.#replay });
    }
    if (!(await this.clients.verifySecret(request.clientId, request.clientSecret))) {
      throw new OAuthError('invalid_client', 'unknown client or wrong secret', {
        ...(request.authMethod === 'client_secret_basic' ? { wwwAuthenticate: BASIC_CHALLENGE } : {}),
      });
    }
    return request.clientId;
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
