import { beforeAll, describe, expect, it } from 'vitest';
import { FHIR_VERSIONS } from '../../src/fhir/types.js';
import { adapterFor } from '../../src/fhir/versions/index.js';
import { startTestSandbox, type TestSandbox } from '../support/testSandbox.js';

const OAUTH_URIS = 'http://fhir-registry.smarthealthit.org/StructureDefinition/oauth-uris';
const HOST = 'sandbox.test:8080';

/** The token URL the version's metadata advertises in its oauth-uris extension. */
async function metadataTokenUrl(t: TestSandbox, version: string): Promise<string> {
  const body = JSON.parse((await t.http.get(`/fhir/${version}/metadata`).set('Host', HOST)).text);
  const uris = body.rest[0].security.extension.find((extension: { url: string }) => extension.url === OAUTH_URIS);
  return uris.extension.find((extension: { url: string }) => extension.url === 'token').valueUri;
}

describe('GET /fhir/<version>/.well-known/smart-configuration', () => {
  let t: TestSandbox;
  beforeAll(async () => {
    t = await startTestSandbox();
  });

  it.each(FHIR_VERSIONS.map((version) => [version]))('is served on the %s gateway without a token, as JSON a browser may read', async (version) => {
    const response = await t.http.get(`/fhir/${version}/.well-known/smart-configuration`).set('Host', HOST).set('Origin', 'http://app.example.test');
    expect(response.status).toBe(200);
    expect(response.headers['content-type']).toMatch(/^application\/json/);
    expect(response.headers['access-control-allow-origin']).toBe('*');
    const body = response.body as Record<string, unknown>;
    expect(body).toMatchObject({
      token_endpoint: `http://${HOST}/oauth2/token`,
      authorization_endpoint: `http://${HOST}/oauth2/authorize`,
      jwks_uri: `http://${HOST}/.well-known/jwks.json`,
      grant_types_supported: ['client_credentials'],
      token_endpoint_auth_methods_supported: ['client_secret_basic', 'client_secret_post', 'private_key_jwt'],
      capabilities: expect.arrayContaining(['client-confidential-symmetric', 'client-confidential-asymmetric', 'permission-v1', 'permission-v2']),
    });
    expect(body['token_endpoint_auth_signing_alg_values_supported']).toEqual(expect.arrayContaining(['RS384', 'ES384']));
    const scopes = body['scopes_supported'] as string[];
    expect(scopes).toEqual(expect.arrayContaining(['system/*.read', 'system/*.rs', 'system/*.cruds']));
    // Per-type scopes name this version's own types.
    for (const type of adapterFor(version).resourceTypes) expect(scopes).toContain(`system/${type}.rs`);
    expect(body['token_endpoint']).toBe(await metadataTokenUrl(t, version));
  });

  it('answers a preflight from a browser tool', async () => {
    const response = await t.http
      .options('/fhir/stu3/.well-known/smart-configuration')
      .set('Origin', 'http://app.example.test')
      .set('Access-Control-Request-Method', 'GET');
    expect(response.status).toBe(204);
    expect(response.headers['access-control-allow-methods']).toContain('GET');
  });

  it('advertises the --public-url token endpoint, the same as the metadata', async () => {
    const other = await startTestSandbox({ publicBaseUrl: 'https://partner.example.test' });
    const response = await other.http.get('/fhir/dstu2/.well-known/smart-configuration').set('Host', HOST);
    expect(response.body.token_endpoint).toBe('https://partner.example.test/oauth2/token');
    expect(await metadataTokenUrl(other, 'dstu2')).toBe('https://partner.example.test/oauth2/token');
  });

  it('takes GET only, and other versions are still unknown', async () => {
    const post = await t.http.post('/fhir/stu3/.well-known/smart-configuration');
    expect(post.status).toBe(405);
    expect(post.headers['allow']).toBe('GET');
    expect(JSON.parse(post.text).resourceType).toBe('OperationOutcome');
    expect((await t.http.get('/fhir/r9/.well-known/smart-configuration')).status).toBe(400);
  });
});
