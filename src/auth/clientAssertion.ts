import { generateKeyPair, type KeyObject } from 'node:crypto';
import { promisify } from 'node:util';
import { decodeJwt, decodeProtectedHeader, errors, jwtVerify, type JWTPayload, type ProtectedHeaderParameters } from 'jose';
import type { Clock } from '../lib/clock.js';
import type { AssertionReplayGuard } from './assertionReplayGuard.js';
import { ASSERTION_ALGORITHMS, type AssertionAlgorithm, type ClientKey } from './clientKey.js';
import type { ClientRegistry } from './clientRegistry.js';
import { JwksFetchError } from './fetchJwks.js';
import { OAuthError } from './oauthError.js';

/** SMART Backend Services: an assertion's `exp` is at most five minutes ahead. */
export const MAX_ASSERTION_LIFETIME_SECONDS = 300;

export interface ClientAssertionOptions {
  clients: ClientRegistry;
  replay: AssertionReplayGuard;
  clock: Clock;
}

/** Where the assertion arrived: the token endpoint URL as advertised, and the request's client_id field if any. */
export interface AssertionContext {
  tokenUrl: string;
  clientId: string | undefined;
}

/** An assertion rule that failed: invalid_client (RFC 6749 §5.2, as SMART asks), naming the rule. */
function refused(rule: string): OAuthError {
  return new OAuthError('invalid_client', `client_assertion: ${rule}`);
}

/**
 * Checks a private_key_jwt client assertion as SMART Backend Services requires and returns the
 * client id it proves: RS384 or ES384; `kid` naming a key the client registered (never a key the
 * assertion brings: `jwk`, `x5u`, `x5c`, or a `jku` other than the registered JWKS URL); `iss` = `sub`
 * = the client id; `aud` = the token endpoint URL; `exp` present and at most five minutes ahead; a
 * `jti` not used before by that client. Each failure is an OAuthError naming the rule.
 */
export async function verifyClientAssertion(assertion: string, context: AssertionContext, options: ClientAssertionOptions): Promise<string> {
  const header = readHeader(assertion);
  const clientId = readClientId(assertion, context);
  const key = await registeredKey(assertion, header, clientId, options.clients);
  const payload = await verifiedClaims(assertion, key, context.tokenUrl, options.clock);
  checkLifetime(payload, options.clock);
  const { jti } = payload;
  if (typeof jti !== 'string' || jti === '') throw refused('jti must be a non-empty string');
  const verdict = options.replay.remember(clientId, jti, (payload.exp as number) * 1000);
  if (verdict === 'replayed') throw refused(`jti "${jti}" was already used by ${clientId}: an assertion is good for one token request; sign a new one with a new jti`);
  if (verdict === 'too-many') throw refused(`${clientId} has too many unexpired assertions on record; wait for some to expire, or give them shorter lifetimes`);
  return clientId;
}

type AssertionHeader = ProtectedHeaderParameters & { alg: AssertionAlgorithm; kid: string };

function readHeader(assertion: string): AssertionHeader {
  let header: ProtectedHeaderParameters;
  try {
    header = decodeProtectedHeader(assertion);
  } catch {
    throw refused('is not a JWT (a JWS in compact serialization)');
  }
  if (assertion.split('.').length !== 3) throw refused('is not a JWT (a JWS in compact serialization)');
  const { alg, kid } = header;
  if (!(ASSERTION_ALGORITHMS as readonly string[]).includes(alg ?? '')) {
    throw refused(`is signed with ${alg ?? 'no alg'}; this server accepts ${ASSERTION_ALGORITHMS.join(' or ')} only`);
  }
  const ownKey = (['jwk', 'x5u', 'x5c'] as const).find((name) => header[name] !== undefined);
  if (ownKey !== undefined) throw refused(`the header carries a key of its own (${ownKey}); only keys registered for the client are trusted`);
  if (typeof kid !== 'string' || kid === '') throw refused('the header has no kid: name the registered key that signed it');
  return header as AssertionHeader;
}

/** `iss` and `sub` both the client id, and the client_id field (if sent) the same. */
function readClientId(assertion: string, { clientId: sentId }: AssertionContext): string {
  let claims: JWTPayload;
  try {
    claims = decodeJwt(assertion);
  } catch {
    throw refused('the payload is not a JSON claims set');
  }
  const { iss, sub } = claims;
  if (typeof iss !== 'string' || iss === '') throw refused('iss is required: it is the client_id');
  if (sub !== iss) throw refused(`sub must equal iss (both are the client_id); iss is "${iss}", sub is ${sub === undefined ? 'missing' : `"${sub}"`}`);
  if (sentId !== undefined && sentId !== iss) throw refused(`client_id "${sentId}" is not the assertion's iss "${iss}"`);
  return iss;
}

/**
 * The key the header's kid names among the client's registered keys. An unknown client, a client
 * without keys and an unknown kid fail alike, after a signature check against a decoy key, so the
 * answer and its cost do not tell which client ids exist.
 */
async function registeredKey(assertion: string, header: AssertionHeader, clientId: string, clients: ClientRegistry): Promise<ClientKey> {
  const keys = clients.keysOf(clientId);
  if (header.jku !== undefined && header.jku !== keys?.url) {
    throw refused(`the header names jku ${header.jku}, which is not the JWKS URL registered for ${clientId}; only keys registered for the client are trusted`);
  }
  let key: ClientKey | undefined;
  try {
    key = await keys?.find(header.kid);
  } catch (error) {
    if (error instanceof JwksFetchError) throw refused(`the JWKS URL registered for ${clientId} (${keys?.url}) ${error.message}`);
    throw error;
  }
  if (key === undefined) {
    await jwtVerify(assertion, await decoyKey(header.alg), { algorithms: [header.alg] }).catch(() => undefined);
    throw refused(`no key with kid "${header.kid}" is registered for client ${clientId}`);
  }
  if (key.alg !== header.alg) throw refused(`key "${key.kid}" is an ${key.alg} key, but the header says alg ${header.alg}`);
  return key;
}

async function verifiedClaims(assertion: string, key: ClientKey, tokenUrl: string, clock: Clock): Promise<JWTPayload> {
  try {
    const { payload } = await jwtVerify(assertion, key.key, {
      algorithms: [key.alg],
      audience: tokenUrl,
      currentDate: new Date(clock.now()),
      requiredClaims: ['exp', 'jti'],
    });
    return payload;
  } catch (error) {
    throw refused(describeJoseFailure(error, key, tokenUrl, assertion));
  }
}

function checkLifetime(payload: JWTPayload, clock: Clock): void {
  const ahead = (payload.exp as number) - Math.floor(clock.now() / 1000);
  if (ahead > MAX_ASSERTION_LIFETIME_SECONDS) {
    throw refused(`exp is ${ahead} s ahead; an assertion may live at most ${MAX_ASSERTION_LIFETIME_SECONDS} s (5 minutes)`);
  }
}

function describeJoseFailure(error: unknown, key: ClientKey, tokenUrl: string, assertion: string): string {
  if (error instanceof errors.JWSSignatureVerificationFailed) return `the signature does not verify with key "${key.kid}"`;
  if (error instanceof errors.JWTExpired) return `it expired at ${new Date(Number(error.payload.exp) * 1000).toISOString()} (exp)`;
  if (error instanceof errors.JWTClaimValidationFailed) {
    if (error.reason === 'missing') return `${error.claim} is required`;
    switch (error.claim) {
      case 'aud':
        return `aud must be the token endpoint URL ${tokenUrl}; got ${JSON.stringify(decodeJwt(assertion).aud ?? null)}`;
      case 'nbf':
        return 'it is not valid yet (nbf is in the future)';
      default:
        return `the ${error.claim} claim is not valid (${error.message})`;
    }
  }
  return `it could not be verified (${error instanceof Error ? error.message : String(error)})`;
}

// Public keys nobody holds the private half of, one per algorithm, made once per process on first use.
const decoys = new Map<AssertionAlgorithm, Promise<KeyObject>>();
const generate = promisify(generateKeyPair);

function decoyKey(alg: AssertionAlgorithm): Promise<KeyObject> {
  let decoy = decoys.get(alg);
  if (decoy === undefined) {
    decoy = (alg === 'RS384' ? generate('rsa', { modulusLength: 2048 }) : generate('ec', { namedCurve: 'P-384' })).then((pair) => pair.publicKey);
    decoys.set(alg, decoy);
  }
  return decoy;
}
