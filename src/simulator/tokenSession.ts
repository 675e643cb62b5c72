import type { ClientAuthentication } from './clientAuthentication.js';
import { retryingRequest } from './retryingRequest.js';
import { requestSignal, type SimulatorContext } from './simulatorContext.js';
import { GaveUpError } from './simulatorErrors.js';

// Refresh a little before `expires_in` runs out, as a careful client does, so a call is not sent with a dying token.
const REFRESH_MARGIN_MS = 500;

/**
 * The client's token for one tenant: fetched with client credentials (a secret or a signed
 * assertion), reused until it is about to expire or the gateway refuses it, then fetched again.
 */
export class TokenSession {
  readonly #context: SimulatorContext;
  readonly #tokenUrl: string;
  readonly #advertisedTokenUrl: string;
  readonly #client: ClientAuthentication;
  readonly #tenantId: string;
  #token: { value: string; expiresAt: number } | undefined;
  #refreshReason: string | undefined;

  /** `tokenUrl` is where this process reaches the endpoint; `advertisedTokenUrl` the URL metadata names (an assertion's audience). */
  constructor(context: SimulatorContext, tokenUrl: string, advertisedTokenUrl: string, client: ClientAuthentication, tenantId: string) {
    this.#context = context;
    this.#tokenUrl = tokenUrl;
    this.#advertisedTokenUrl = advertisedTokenUrl;
    this.#client = client;
    this.#tenantId = tenantId;
  }

  /** A token that should still be valid, fetching one when needed. */
  async bearer(): Promise<string> {
    const now = this.#context.clock.now();
    if (this.#token !== undefined && this.#token.expiresAt - REFRESH_MARGIN_MS > now) return this.#token.value;
    const reason = this.#token === undefined ? this.#refreshReason : 'it expired';
    this.#token = await this.#fetch();
    if (reason === undefined) this.#context.report('token-fetched', `got a token for ${this.#expiresIn()}`, this.#tenantId);
    else this.#context.report('token-refreshed', `token refreshed (${reason}); new one lives ${this.#expiresIn()}`, this.#tenantId);
    this.#refreshReason = undefined;
    return this.#token.value;
  }

  /** The gateway refused the token (401 invalid_token): the next call fetches a new one. */
  refused(detail: string): void {
    this.#token = undefined;
    this.#refreshReason = `refused: ${detail}`;
  }

  async #fetch(): Promise<{ value: string; expiresAt: number }> {
    const { fetch, clock } = this.#context;
    const scope = [this.#tenantId, ...this.#client.scopes].join(' ');
    const result = await retryingRequest(
      this.#context,
      'POST token',
      // A new form on every try: an assertion is good for one request only.
      async () => {
        const form = new URLSearchParams({ grant_type: 'client_credentials', ...(await this.#client.credentials(this.#advertisedTokenUrl)), scope });
        return fetch(this.#tokenUrl, { method: 'POST', body: form, headers: { Accept: 'application/json' }, signal: requestSignal(this.#context) });
      },
      this.#tenantId,
    );
    const body = result.body as { access_token?: unknown; expires_in?: unknown; error?: unknown; error_description?: unknown } | undefined;
    if (result.status !== 200 || typeof body?.access_token !== 'string' || typeof body.expires_in !== 'number') {
      const why = typeof body?.error === 'string' ? `${body.error}${typeof body.error_description === 'string' ? `: ${body.error_description}` : ''}` : 'no token in the answer';
      throw new GaveUpError('POST token', `HTTP ${result.status}, ${why}`);
    }
    return { value: body.access_token, expiresAt: clock.now() + body.expires_in * 1000 };
  }

  #expiresIn(): string {
    const seconds = this.#token === undefined ? 0 : Math.round((this.#token.expiresAt - this.#context.clock.now()) / 1000);
    return `${seconds}s`;
  }
}
