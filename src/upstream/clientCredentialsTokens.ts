import type { Clock } from '../lib/clock.js';
import { UpstreamError } from './upstreamError.js';
import type { UpstreamHttp } from './upstreamHttp.js';
import type { UpstreamAuth } from './upstreamSettings.js';

type ClientCredentials = Extract<UpstreamAuth, { type: 'client-credentials' }>;

interface CachedToken {
  authorization: string;
  /** Epoch ms after which a fresh token is fetched; undefined when the token response named no lifetime. */
  refreshAt: number | undefined;
}

// Refresh this long before a token expires (at most a tenth of its lifetime), so no call goes out with a token about to lapse.
const REFRESH_MARGIN_MS = 30_000;
// Token responses are small; a larger one is not a token response.
const MAX_TOKEN_RESPONSE_BYTES = 64 * 1024;

/**
 * Client credentials against the upstream's token endpoint: one token shared by every call, fetched
 * once when first needed (concurrent calls wait for the same fetch) and again shortly before it
 * expires by the injected clock, or when the upstream refuses it.
 */
export class ClientCredentialsTokens {
  readonly #auth: ClientCredentials;
  readonly #http: UpstreamHttp;
  readonly #clock: Clock;
  #cached: CachedToken | undefined;
  #pending: Promise<string> | undefined;

  constructor(auth: ClientCredentials, http: UpstreamHttp, clock: Clock) {
    this.#auth = auth;
    this.#http = http;
    this.#clock = clock;
  }

  authorization(): Promise<string> {
    const cached = this.#cached;
    if (cached !== undefined && (cached.refreshAt === undefined || this.#clock.now() < cached.refreshAt)) return Promise.resolve(cached.authorization);
    this.#pending ??= this.#fetch().finally(() => {
      this.#pending = undefined;
    });
    return this.#pending;
  }

  /** The upstream refused this token: forget it. True when it was the current one, so a fresh token may help. */
  refused(authorization: string): boolean {
    if (this.#cached?.authorization !== authorization) return false;
    this.#cached = undefined;
    return true;
  }

  async #fetch(): Promise<string> {
    const { tokenUrl, clientId, clientSecret, scope, authMethod } = this.#auth;
    const host = new URL(tokenUrl).host;
    const form = new URLSearchParams({ grant_type: 'client_credentials' });
    if (scope !== undefined) form.set('scope', scope);
    const headers: Record<string, string> = { 'content-type': 'application/x-www-form-urlencoded', accept: 'application/json' };
    if (authMethod === 'client_secret_basic') {
      // RFC 6749 §2.3.1: both parts form-encoded before they are joined.
      headers['authorization'] = `Basic ${Buffer.from(`${formEncode(clientId)}:${formEncode(clientSecret)}`).toString('base64')}`;
    } else {
      form.set('client_id', clientId);
      form.set('client_secret', clientSecret);
    }
    const askedAt = this.#clock.now();
    const response = await this.#http.send({ method: 'POST', url: tokenUrl, headers, body: form.toString() });
    const text = await readSmall(response.body, MAX_TOKEN_RESPONSE_BYTES);
    const body = parseObject(text);
    if (response.status !== 200) {
      const code = typeof body?.['error'] === 'string' ? body['error'] : `HTTP ${response.status}`;
      const description = typeof body?.['error_description'] === 'string' ? `: ${body['error_description']}` : '';
      const refused = response.status === 400 || response.status === 401;
      throw new UpstreamError(refused ? 'credentials-refused' : 'bad-answer', host, `the upstream's token endpoint ${tokenUrl} refused client ${clientId} (${code}${description})`);
    }
    const token = body?.['access_token'];
    if (typeof token !== 'string' || token === '') throw new UpstreamError('bad-answer', host, `the upstream's token endpoint ${tokenUrl} answered without an access_token`);
    const expiresIn = body?.['expires_in'];
    const lifetimeMs = typeof expiresIn === 'number' && expiresIn > 0 ? expiresIn * 1000 : undefined;
    const authorization = `Bearer ${token}`;
    this.#cached = { authorization, refreshAt: lifetimeMs === undefined ? undefined : askedAt + lifetimeMs - Math.min(REFRESH_MARGIN_MS, lifetimeMs / 10) };
    return authorization;
  }
}

function formEncode(text: string): string {
  return encodeURIComponent(text).replace(/%20/g, '+');
}

function parseObject(text: string): Record<string, unknown> | undefined {
  try {
    const value: unknown = JSON.parse(text);
    return value !== null && typeof value === 'object' && !Array.isArray(value) ? (value as Record<string, unknown>) : undefined;
  } catch {
    return undefined;
  }
}

/** The body as text, refusing (and dropping) one larger than `limit` bytes. */
export async function readSmall(body: AsyncIterable<Buffer | string>, limit: number): Promise<string> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of body) {
    const bytes = typeof chunk === 'string' ? Buffer.from(chunk) : chunk;
    size += bytes.length;
    // Leaving the loop destroys the stream, which abandons the rest of the answer.
    if (size > limit) return '';
    chunks.push(bytes);
  }
  return Buffer.concat(chunks).toString('utf8');
}
