import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { JWK } from 'jose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ManualClock } from '../../src/lib/clock.js';
import { assertionForm, backendKey, signAssertion, type BackendKey } from '../support/backendServicesClient.js';
import { DEMO_CLIENT, STU3_TENANT, startTestSandbox, type TestSandbox } from '../support/testSandbox.js';

const HOST = 'sandbox.test';
const TOKEN_URL = `http://${HOST}/oauth2/token`;
const LIMITS = { timeoutMs: 300, maxBytes: 4096, cacheSeconds: 60 };

/** The client's own web server on 127.0.0.1, publishing its JWKS, plus ways for a JWKS URL to go wrong. */
class ClientJwksServer {
  readonly server: Server;
  published: JWK[] = [];
  hits = 0;

  constructor() {
    this.server = createServer((request, response) => {
      switch (request.url) {
        case '/jwks.json':
          this.hits++;
          response.writeHead(200, { 'Content-Type': 'application/jwk-set+json' }).end(JSON.stringify({ keys: this.published }));
          return;
        case '/slow':
          // Never answers: the sandbox must give up on its own.
          return;
        case '/huge':
          response.writeHead(200, { 'Content-Type': 'application/json' }).end(JSON.stringify({ keys: [], padding: 'x'.repeat(LIMITS.maxBytes) }));
          return;
        case '/huge-chunked':
          // No Content-Length: the size is only known by reading, which must stop at the limit.
          response.writeHead(200, { 'Content-Type': 'application/json' });
          for (let chunk = 0; chunk < 8; chunk++) response.write(' '.repeat(1024));
          response.end('{"keys":[]}');
          return;
        case '/not-json':
          response.writeHead(200, { 'Content-Type': 'text/html' }).end('<html>oops</html>');
          return;
        default:
          response.writeHead(500).end();
      }
    });
  }

  async start(): Promise<string> {
    await new Promise<void>((resolve) => this.server.listen(0, '127.0.0.1', resolve));
    return `http://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
  }

  async stop(): Promise<void> {
    this.server.closeAllConnections();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }
}

describe('client keys from a JWKS URL', () => {
  const jwksServer = new ClientJwksServer();
  let base: string;
  let t: TestSandbox;
  let clock: ManualClock;
  let first: BackendKey;
  let second: BackendKey;

  beforeAll(async () => {
    [first, second] = await Promise.all([backendKey('ES384', 'first'), backendKey('RS384', 'second')]);
    base = await jwksServer.start();
    jwksServer.published = [first.publicJwk];
    clock = new ManualClock(Date.UTC(2026, 0, 15, 9));
    t = await startTestSandbox({}, {
      clock,
      profile: {
        oauth: { jwksFetch: LIMITS },
        clients: [
          { id: DEMO_CLIENT.id, secret: DEMO_CLIENT.secret, tenants: '*' },
          { id: 'url-svc', jwksUrl: `${base}/jwks.json`, tenants: '*' },
        ],
      },
    });
  });
  afterAll(() => jwksServer.stop());

  const token = async (clientId: string, key: BackendKey, header: Record<string, unknown> = {}) => {
    const jwt = await signAssertion({ clientId, key, tokenUrl: TOKEN_URL, now: Math.floor(clock.now() / 1000), header });
    return t.http.post('/oauth2/token').set('Host', HOST).type('form').send(assertionForm(jwt, `${STU3_TENANT} system/Patient.rs`));
  };
  const register = (id: string, path: string) => t.http.post('/admin/clients').send({ id, jwksUrl: `${base}${path}`, tenants: '*' });

  it('fetches the keys once, uses them for a token that reads, and serves the next request from the cache', async () => {
    const issued = await token('url-svc', first);
    expect(issued.status).toBe(200);
    const read = await t.http.get('/fhir/stu3/Patient/ruth-black').set('Authorization', `Bearer ${issued.body.access_token}`);
    expect(read.status).toBe(200);
    expect((await token('url-svc', first)).status).toBe(200);
    expect(jwksServer.hits).toBe(1);
  });

  it('picks up a key the client publishes (an unknown kid fetches again, at most every few seconds), and drops one it withdraws', async () => {
    jwksServer.published = [second.publicJwk];
    clock.advance(5_000);
    expect((await token('url-svc', second)).status).toBe(200);
    expect(jwksServer.hits).toBe(2);
    // The withdrawn key is gone from the fresh copy, and made-up kids do not make the sandbox ask again at once.
    const withdrawn = await token('url-svc', first);
    expect(withdrawn.status).toBe(401);
    expect(withdrawn.body.error_description).toBe('client_assertion: no key with kid "first" is registered for client url-svc');
    expect(jwksServer.hits).toBe(2);
  });

  it('asks the URL again once the cached keys are older than cacheSeconds', async () => {
    clock.advance(LIMITS.cacheSeconds * 1000);
    expect((await token('url-svc', second)).status).toBe(200);
    expect(jwksServer.hits).toBe(3);
  });

  it('accepts a jku naming the registered URL, and nothing else', async () => {
    expect((await token('url-svc', second, { jku: `${base}/jwks.json` })).status).toBe(200);
    const elsewhere = await token('url-svc', second, { jku: `${base}/other.json` });
    expect(elsewhere.status).toBe(401);
    expect(elsewhere.body.error_description).toMatch(/names jku .*\/other\.json, which is not the JWKS URL registered for url-svc/);
  });

  it.each([
    ['slow-svc', '/slow', `did not answer within ${LIMITS.timeoutMs} ms`],
    ['huge-svc', '/huge', `is larger than the ${LIMITS.maxBytes} bytes a JWKS may be`],
    ['chunked-svc', '/huge-chunked', `is larger than the ${LIMITS.maxBytes} bytes a JWKS may be`],
    ['html-svc', '/not-json', 'is not JSON'],
    ['broken-svc', '/broken', 'answered HTTP 500'],
  ])('refuses the assertions of %s, whose JWKS URL (%s) fails, naming why', async (clientId, path, reason) => {
    expect((await register(clientId, path)).status).toBe(201);
    const refused = await token(clientId, second);
    expect(refused.status).toBe(401);
    expect(refused.body).toEqual({ error: 'invalid_client', error_description: `client_assertion: the JWKS URL registered for ${clientId} (${base}${path}) ${reason}` });
    const refresh = await t.http.post(`/admin/clients/${clientId}/jwks/refresh`).set('Content-Type', 'application/json');
    expect(refresh.status).toBe(502);
    expect(refresh.body).toEqual({ error: 'jwks-fetch-failed', message: `the client's JWKS URL ${reason}` });
    expect((await t.http.get(`/admin/clients/${clientId}`)).body.jwksUrl).toMatchObject({ url: `${base}${path}`, fetchedAt: null, error: reason });
  });

  it('lets an operator fetch the URL now, set it and drop it; the view lists what it gave and what it skipped', async () => {
    const p256 = { kty: 'EC', crv: 'P-256', kid: 'wrong-curve', x: 'f83OJ3D2xF1Bg8vub9tLe1gHMzV76e8Tus9uPHvRVEU', y: 'x_FEzRu9m36HLN_tue659LNpXW6pCyStikYjKIWI5a0' };
    jwksServer.published = [second.publicJwk, p256];
    await register('ops-svc', '/broken');
    const moved = await t.http.patch('/admin/clients/ops-svc').send({ jwksUrl: `${base}/jwks.json` });
    expect(moved.status).toBe(200);
    expect(moved.body.jwksUrl).toMatchObject({ url: `${base}/jwks.json`, fetchedAt: null });
    const refreshed = await t.http.post('/admin/clients/ops-svc/jwks/refresh').set('Content-Type', 'application/json');
    expect(refreshed.status).toBe(200);
    expect(refreshed.body.jwksUrl).toMatchObject({ kids: ['second'], skipped: [expect.stringMatching(/key "wrong-curve" must be RSA \(RS384\) or EC on P-384/)], error: null });
    expect(refreshed.body.jwksUrl.fetchedAt).toBe(new Date(clock.now()).toISOString());
    expect((await token('ops-svc', second)).status).toBe(200);

    const last = await t.http.patch('/admin/clients/ops-svc').send({ jwksUrl: null });
    expect(last.status).toBe(409);
    expect(last.body.error).toBe('last-credential');
    expect((await t.http.post(`/admin/clients/${DEMO_CLIENT.id}/jwks/refresh`).set('Content-Type', 'application/json')).status).toBe(409);
  });
});
