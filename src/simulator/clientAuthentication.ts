import { randomUUID } from 'node:crypto';
import { SignJWT, type CryptoKey } from 'jose';
import type { Clock } from '../lib/clock.js';

/** How a simulated client proves who it is at the token endpoint, and which SMART scopes it asks for. */
export interface ClientAuthentication {
  readonly clientId: string;
  /** SMART scopes asked for beside the tenant; empty for none (the original contract). */
  readonly scopes: readonly string[];
  /** One token request's credential fields; `audience` is the token endpoint URL as the server advertises it. */
  credentials(audience: string): Promise<Record<string, string>>;
}

/** The original contract's client: its id and shared secret in the form (client_secret_post). */
export function clientSecretPost(clientId: string, secret: string): ClientAuthentication {
  return {
    clientId,
    scopes: [],
    credentials: () => Promise.resolve({ client_id: clientId, client_secret: secret }),
  };
}

export interface PrivateKeyJwtOptions {
  clientId: string;
  privateKey: CryptoKey;
  kid: string;
  alg: 'ES384' | 'RS384';
  scopes: readonly string[];
  /** The sandbox's clock: the assertion's times are checked against it. */
  clock: Clock;
}

// SMART Backend Services allows at most five minutes; a short life limits what a leaked assertion is worth.
const ASSERTION_LIFETIME_SECONDS = 60;

/** A SMART Backend Services client: a fresh signed assertion (RFC 7523) for every token request. */
export function privateKeyJwt(options: PrivateKeyJwtOptions): ClientAuthentication {
  return {
    clientId: options.clientId,
    scopes: options.scopes,
    async credentials(audience) {
      const nowSeconds = Math.floor(options.clock.now() / 1000);
      const assertion = await new SignJWT({})
        .setProtectedHeader({ alg: options.alg, kid: options.kid, typ: 'JWT' })
        .setIssuer(options.clientId)
        .setSubject(options.clientId)
        .setAudience(audience)
        .setIssuedAt(nowSeconds)
        .setExpirationTime(nowSeconds + ASSERTION_LIFETIME_SECONDS)
        // Unique per request, as the replay guard requires; not data, so it need not follow the seed.
        .setJti(randomUUID())
        .sign(options.privateKey);
      return {
        client_assertion_type: 'urn:ietf:params:oauth:client-assertion-type:jwt-bearer',
        client_assertion: assertion,
      };
    },
  };
}
