import { generateKeyPairSync } from 'node:crypto';
import { SignJWT, UnsecuredJWT, exportJWK, generateKeyPair } from 'jose';
import { beforeAll, describe, expect, it } from 'vitest';
import { adapterFor } from '../../src/fhir/versions/index.js';
import { ManualClock } from '../../src/lib/clock.js';
import { assertionForm, backendKey, signAssertion, type AssertionOptions, type BackendKey } from '../support/backendServicesClient.js';
import { DEMO_CLIENT, DSTU2_TENANT, LIMITED_CLIENT, STU3_TENANT, startTestSandbox, type TestSandbox } from '../support/testSandbox.js';

// Token requests name this host, so the token endpoint URL assertions must carry in `aud` is fixed.
const HOST = 'sandbox.test';
const TOKEN_URL = `http://${HOST}/oauth2/token`;

type Outcome = { status: number; body: Record<string, unknown>; headers: Record<string, string> };

describe('SMART Backend Services: private_key_jwt at the token endpoint', () => {
  let t: TestSandbox;
  let clock: ManualClock;
  let rsa: BackendKey;
  let ec: BackendKey;

  beforeAll(async () => {
    [rsa, ec] = await Promise.all([backendKey('RS384'), backendKey('ES384')]);
    clock = new ManualClock(Date.UTC(2026, 0, 15, 9));
    t = await startTestSandbox({}, {
      clock,
      profile: {
        clients: [
          { id: DEMO_CLIENT.id, secret: DEMO_CLIENT.secret, tenants: '*' },
          { id: LIMITED_CLIENT.id, secret: LIMITED_CLIENT.secret, tenants: [DSTU2_TENANT] },
          { id: 'backend-rs', jwks: { keys: [rsa.publicJwk] }, tenants: '*' },
          { id: 'backend-es', jwks: { keys: [ec.publicJwk] }, tenants: [STU3_TENANT, DSTU2_TENANT] },
        ],
      },
    });
  });

  const now = () => Math.floor(clock.now() / 1000);
  const assertion = (options: Partial<AssertionOptions> & { key: BackendKey; clientId: string }) => signAssertion({ tokenUrl: TOKEN_URL, now: now(), ...options });
  const requestToken = async (form: Record<string, string>, host = HOST): Promise<Outcome> => {
    const response = await t.http.post('/oauth2/token').set('Host', host).type('form').send(form);
    return { status: response.status, body: response.body as Record<string, unknown>, headers: response.headers as Record<string, string> };
  };
  const tokenWith = async (jwt: string, scope = `${STU3_TENANT} system/*.read`) => requestToken(assertionForm(jwt, scope));

  it.each([
    ['RS384', 'backend-rs', () => rsa],
    ['ES384', 'backend-es', () => ec],
  ])('a client signing with %s gets a token and reads every resource type of a STU3 and a DSTU2 tenant', async (_alg, clientId, key) => {
    for (const [tenant, version] of [[STU3_TENANT, 'stu3'], [DSTU2_TENANT, 'dstu2']] as const) {
      const issued = await tokenWith(await assertion({ clientId, key: key() }), `${tenant} system/*.read`);
      expect(issued.status).toBe(200);
      expect(issued.headers['cache-control']).toBe('no-store');
      expect(issued.body).toMatchObject({ token_type: 'Bearer', expires_in: 3600, scope: `${tenant} system/*.read` });
      const bearer = `Bearer ${issued.body['access_token'] as string}`;
      for (const type of adapterFor(version).resourceTypes) {
        const search = await t.http.get(`/fhir/${version}/${type}?_count=1`).set('Authorization', bearer);
        expect(search.status, `${version} ${type} search`).toBe(200);
        const bundle = JSON.parse(search.text);
        expect(bundle).toMatchObject({ resourceType: 'Bundle', type: 'searchset' });
        const first = bundle.entry?.[0]?.resource as { resourceType: string; id: string } | undefined;
        if (first === undefined) continue;
        const read = await t.http.get(`/fhir/${version}/${type}/${first.id}`).set('Authorization', bearer);
        expect(read.status, `${version} ${type}/${first.id}`).toBe(200);
        expect(JSON.parse(read.text)).toMatchObject({ resourceType: type, id: first.id });
      }
    }
  });

  describe('each rule, broken on its own, is refused with invalid_client naming it', () => {
    const cases: Array<[string, () => Promise<Record<string, string>>, RegExp]> = [
      ['HS256 (a shared-secret signature)', async () => {
        const jwt = await new SignJWT({ iss: 'backend-rs', sub: 'backend-rs', aud: TOKEN_URL, exp: now() + 60, jti: 'hs' })
          .setProtectedHeader({ alg: 'HS256', kid: rsa.kid })
          .sign(new TextEncoder().encode('a-shared-secret-of-thirty-two-bytes!'));
        return assertionForm(jwt, STU3_TENANT);
      }, /is signed with HS256; this server accepts RS384 or ES384 only/],
      ['RS256 (an RSA key, the wrong hash)', async () => {
        const rs256 = await generateKeyPair('RS256');
        const jwt = await new SignJWT({ iss: 'backend-rs', sub: 'backend-rs', aud: TOKEN_URL, exp: now() + 60, jti: 'rs256' })
          .setProtectedHeader({ alg: 'RS256', kid: rsa.kid })
          .sign(rs256.privateKey);
        return assertionForm(jwt, STU3_TENANT);
      }, /is signed with RS256; this server accepts RS384 or ES384 only/],
      ['an unsigned JWT (alg none)', async () => {
        const jwt = new UnsecuredJWT({ iss: 'backend-rs', sub: 'backend-rs', aud: TOKEN_URL, jti: 'none' }).setExpirationTime(now() + 60).encode();
        return assertionForm(jwt, STU3_TENANT);
      }, /is signed with none; this server accepts RS384 or ES384 only/],
      ['something that is not a JWT', async () => assertionForm('not-a-jwt', STU3_TENANT), /is not a JWT/],
      ['a missing iss', async () => assertionForm(await assertion({ clientId: 'backend-rs', key: rsa, claims: { iss: undefined } }), STU3_TENANT), /iss is required: it is the client_id/],
      ['sub other than iss', async () => assertionForm(await assertion({ clientId: 'backend-rs', key: rsa, claims: { sub: 'somebody-else' } }), STU3_TENANT), /sub must equal iss .*iss is "backend-rs", sub is "somebody-else"/],
      ['a client_id field other than iss', async () => ({ ...assertionForm(await assertion({ clientId: 'backend-rs', key: rsa }), STU3_TENANT), client_id: 'backend-es' }), /client_id "backend-es" is not the assertion's iss "backend-rs"/],
      ['aud naming the FHIR base instead of the token endpoint', async () => assertionForm(await assertion({ clientId: 'backend-rs', key: rsa, claims: { aud: `http://${HOST}/fhir/stu3` } }), STU3_TENANT), /aud must be the token endpoint URL http:\/\/sandbox\.test\/oauth2\/token; got "http:\/\/sandbox\.test\/fhir\/stu3"/],
      ['a missing exp', async () => assertionForm(await assertion({ clientId: 'backend-rs', key: rsa, claims: { exp: undefined } }), STU3_TENANT), /exp is required/],
      ['exp more than five minutes ahead', async () => assertionForm(await assertion({ clientId: 'backend-rs', key: rsa, claims: { exp: now() + 301 } }), STU3_TENANT), /exp is 301 s ahead; an assertion may live at most 300 s \(5 minutes\)/],
      ['an expired assertion', async () => assertionForm(await assertion({ clientId: 'backend-rs', key: rsa, claims: { exp: now() - 1 } }), STU3_TENANT), /it expired at 2026-01-15T08:59:59\.000Z \(exp\)/],
      ['a missing jti', async () => assertionForm(await assertion({ clientId: 'backend-rs', key: rsa, claims: { jti: undefined } }), STU3_TENANT), /jti is required/],
      ['a missing kid', async () => assertionForm(await assertion({ clientId: 'backend-rs', key: rsa, header: { kid: undefined } }), STU3_TENANT), /the header has no kid/],
      ['a kid the client never registered', async () => assertionForm(await assertion({ clientId: 'backend-rs', key: rsa, header: { kid: 'made-up' } }), STU3_TENANT), /no key with kid "made-up" is registered for client backend-rs/],
      ['another client\'s key', async () => assertionForm(await assertion({ clientId: 'backend-rs', key: ec }), STU3_TENANT), /no key with kid "es384-[^"]+" is registered for client backend-rs/],
      ['an unknown client (the same answer as an unknown kid)', async () => assertionForm(await assertion({ clientId: 'ghost', key: rsa }), STU3_TENANT), /no key with kid "[^"]+" is registered for client ghost/],
      ['a client that has only a secret', async () => assertionForm(await assertion({ clientId: DEMO_CLIENT.id, key: rsa }), STU3_TENANT), /no key with kid "[^"]+" is registered for client demo-client/],
      ['a signature by another key under the registered kid', async () => {
        const impostor = await backendKey('RS384', rsa.kid);
        return assertionForm(await assertion({ clientId: 'backend-rs', key: rsa, signWith: impostor.privateKey }), STU3_TENANT);
      }, /the signature does not verify with key "[^"]+"/],
      ['a key carried in the header (jwk)', async () => {
        const attacker = await generateKeyPair('ES384', { extractable: true });
        const jwk = await exportJWK(attacker.publicKey);
        return assertionForm(await assertion({ clientId: 'backend-es', key: ec, header: { jwk }, signWith: attacker.privateKey }), STU3_TENANT);
      }, /the header carries a key of its own \(jwk\); only keys registered for the client are trusted/],
      ['a jku the client did not register', async () => assertionForm(await assertion({ clientId: 'backend-rs', key: rsa, header: { jku: 'https://attacker.example.test/jwks.json' } }), STU3_TENANT), /names jku https:\/\/attacker\.example\.test\/jwks\.json, which is not the JWKS URL registered for backend-rs/],
      ['an alg the named key is not for', async () => assertionForm(await assertion({ clientId: 'backend-rs', key: { ...ec, kid: rsa.kid } }), STU3_TENANT), /key "[^"]+" is an RS384 key, but the header says alg ES384/],
    ];

    it.each(cases)('%s', async (_label, form, description) => {
      const refused = await requestToken(await form());
      expect(refused.status).toBe(401);
      expect(refused.headers['content-type']).toMatch(/^application\/json/);
      expect(refused.headers['cache-control']).toBe('no-store');
      expect(refused.body['error']).toBe('invalid_client');
      expect(refused.body['error_description']).toMatch(description);
      expect(refused.body['error_description']).toMatch(/^client_assertion: /);
    });
  });

  it('refuses a replayed assertion (same jti, same client) until it expires', async () => {
    const jti = 'replay-me';
    const first = await assertion({ clientId: 'backend-es', key: ec, claims: { jti, exp: now() + 60 } });
    expect((await tokenWith(first)).status).toBe(200);
    const replayed = await tokenWith(first);
    expect(replayed.status).toBe(401);
    expect(replayed.body).toEqual({ error: 'invalid_client', error_description: expect.stringMatching(/jti "replay-me" was already used by backend-es/) });
    // A new assertion reusing the jti is a replay too, while the first is alive.
    expect((await tokenWith(await assertion({ clientId: 'backend-es', key: ec, claims: { jti } }))).status).toBe(401);
    // Another client may use the same jti: it is remembered per client.
    expect((await tokenWith(await assertion({ clientId: 'backend-rs', key: rsa, claims: { jti } }))).status).toBe(200);
    clock.advance(61_000);
    expect((await tokenWith(await assertion({ clientId: 'backend-es', key: ec, claims: { jti } }))).status).toBe(200);
  });

  it('checks aud against the --public-url token endpoint, whatever Host the request names', async () => {
    const behindProxy = await startTestSandbox({ publicBaseUrl: 'https://partner.example.test' }, {
      clock,
      profile: { clients: [{ id: 'backend-rs', jwks: { keys: [rsa.publicJwk] }, tenants: '*' }] },
    });
    const post = (jwt: string) => behindProxy.http.post('/oauth2/token').set('Host', HOST).type('form').send(assertionForm(jwt, STU3_TENANT));
    const advertised = await post(await signAssertion({ clientId: 'backend-rs', key: rsa, now: now(), tokenUrl: 'https://partner.example.test/oauth2/token' }));
    expect(advertised.status).toBe(200);
    const hostUrl = await post(await signAssertion({ clientId: 'backend-rs', key: rsa, now: now(), tokenUrl: TOKEN_URL }));
    expect(hostUrl.status).toBe(401);
    expect(hostUrl.body.error_description).toMatch(/aud must be the token endpoint URL https:\/\/partner\.example\.test\/oauth2\/token/);
  });

  it('still checks the tenant: a key client may not use a tenant it is not registered for', async () => {
    const refused = await tokenWith(await assertion({ clientId: 'backend-es', key: ec }), `7a1c9d42-2e3f-4b5a-8c6d-1e2f3a4b5c60 system/*.read`);
    expect(refused.status).toBe(400);
    expect(refused.body['error']).toBe('invalid_scope');
  });
});

describe('clients with keys in a profile', () => {
  it('refuses a profile whose client key cannot sign assertions, naming the client and the key', async () => {
    const privateJwk = { ...(await exportJWK((await generateKeyPair('ES384', { extractable: true })).privateKey)), kid: 'oops' };
    await expect(startTestSandbox({}, { profile: { clients: [{ id: 'svc', jwks: { keys: [privateJwk] }, tenants: '*' }] } })).rejects.toThrow(
      /clients\[0\]: keys\[0\]: key "oops" holds private key material \("d"\): register only the public key/,
    );
  });
});

describe('registering keys and rotating them through the admin API', () => {
  let t: TestSandbox;
  beforeAll(async () => {
    t = await startTestSandbox();
  });

  const tokenFor = async (clientId: string, key: BackendKey) => {
    const jwt = await signAssertion({ clientId, key, tokenUrl: TOKEN_URL, now: Math.floor(t.clock.now() / 1000) });
    return t.http.post('/oauth2/token').set('Host', HOST).type('form').send(assertionForm(jwt, STU3_TENANT));
  };

  it('registers a key-only client: no secret is made, and its view shows the public key and private_key_jwt', async () => {
    const key = await backendKey('ES384');
    const created = await t.http.post('/admin/clients').send({ id: 'svc-a', jwks: { keys: [key.publicJwk] }, tenants: '*' });
    expect(created.status).toBe(201);
    expect(created.body).not.toHaveProperty('secret');
    expect(created.body).toMatchObject({ id: 'svc-a', secrets: [], authMethods: ['private_key_jwt'], keys: [{ kid: key.kid, alg: 'ES384' }], jwksUrl: null, scopes: '*' });
    expect(created.body.keys[0].jwk).not.toHaveProperty('d');
    expect((await tokenFor('svc-a', key)).status).toBe(200);
    // A key-only client has no secret to guess.
    const bySecret = await t.http.post('/oauth2/token').type('form').send({ grant_type: 'client_credentials', client_id: 'svc-a', client_secret: '', scope: STU3_TENANT });
    expect(bySecret.status).toBe(401);
  });

  it('rotates: a second key works beside the first, then the first is removed and refused; the last one cannot go', async () => {
    const [oldKey, newKey] = await Promise.all([backendKey('RS384', 'old'), backendKey('RS384', 'new')]);
    await t.http.post('/admin/clients').send({ id: 'svc-rotate', jwks: { keys: [oldKey.publicJwk] }, tenants: '*' });
    const added = await t.http.post('/admin/clients/svc-rotate/keys').send(newKey.publicJwk);
    expect(added.status).toBe(201);
    expect(added.body.keys.map((key: { kid: string }) => key.kid)).toEqual(['old', 'new']);
    expect((await tokenFor('svc-rotate', oldKey)).status).toBe(200);
    expect((await tokenFor('svc-rotate', newKey)).status).toBe(200);

    expect((await t.http.delete('/admin/clients/svc-rotate/keys/old')).status).toBe(204);
    const refused = await tokenFor('svc-rotate', oldKey);
    expect(refused.status).toBe(401);
    expect(refused.body.error_description).toBe('client_assertion: no key with kid "old" is registered for client svc-rotate');
    expect((await tokenFor('svc-rotate', newKey)).status).toBe(200);

    const last = await t.http.delete('/admin/clients/svc-rotate/keys/new');
    expect(last.status).toBe(409);
    expect(last.body.error).toBe('last-credential');
    expect((await t.http.delete('/admin/clients/svc-rotate/keys/none')).status).toBe(404);
  });

  it('lets a secret client migrate: both credentials work, then the secret is revoked and only the key does', async () => {
    const key = await backendKey('ES384');
    const created = await t.http.post('/admin/clients').send({ id: 'migrating', secret: 'migrating-secret', tenants: '*' });
    expect(created.body.authMethods).toEqual(['client_secret_basic', 'client_secret_post']);
    const withKey = await t.http.post('/admin/clients/migrating/keys').send({ keys: [key.publicJwk] });
    expect(withKey.body.authMethods).toEqual(['client_secret_basic', 'client_secret_post', 'private_key_jwt']);
    const bySecret = () => t.http.post('/oauth2/token').auth('migrating', 'migrating-secret').type('form').send({ grant_type: 'client_credentials', scope: STU3_TENANT });
    expect((await bySecret()).status).toBe(200);
    expect((await tokenFor('migrating', key)).status).toBe(200);

    const secretId = created.body.secrets[0].id as string;
    expect((await t.http.delete(`/admin/clients/migrating/secrets/${secretId}`)).status).toBe(204);
    expect((await bySecret()).status).toBe(401);
    expect((await tokenFor('migrating', key)).status).toBe(200);
  });

  it.each([
    ['a private key', async () => ({ ...(await exportJWK((await generateKeyPair('ES384', { extractable: true })).privateKey)), kid: 'p' }), 400, 'invalid-key', /holds private key material \("d"\): register only the public key/],
    ['an EC P-256 key', async () => ({ ...(await exportJWK((await generateKeyPair('ES256', { extractable: true })).publicKey)), kid: 'p256' }), 400, 'invalid-key', /must be RSA \(RS384\) or EC on P-384 \(ES384\); got kty EC crv P-256/],
    ['a 1024-bit RSA key', async () => ({ ...generateKeyPairSync('rsa', { modulusLength: 1024 }).publicKey.export({ format: 'jwk' }), kid: 'short' }), 400, 'invalid-key', /is a 1024-bit RSA key: at least 2048 bits are required/],
    ['a key without a kid', async () => {
      const { kid: _kid, ...jwk } = (await backendKey('ES384')).publicJwk;
      return jwk;
    }, 400, 'invalid-key', /has no kid/],
    ['a kid already registered', async () => ({ ...(await backendKey('ES384')).publicJwk, kid: 'taken' }), 409, 'key-exists', /kid "taken" is already registered/],
  ])('refuses to register %s', async (_label, jwk, status, code, message) => {
    if ((await t.http.get('/admin/clients/keyed')).status === 404) {
      await t.http.post('/admin/clients').send({ id: 'keyed', jwks: { keys: [{ ...(await backendKey('ES384')).publicJwk, kid: 'taken' }] }, tenants: '*' });
    }
    const refused = await t.http.post('/admin/clients/keyed/keys').send(await jwk());
    expect(refused.status).toBe(status);
    expect(refused.body.error).toBe(code);
    expect(refused.body.message).toMatch(message);
  });
});
