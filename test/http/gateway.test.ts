import { SignJWT, UnsecuredJWT, generateKeyPair } from 'jose';
import { beforeAll, describe, expect, it } from 'vitest';
import { ManualClock } from '../../src/lib/clock.js';
import { DSTU2_TENANT, STU3_OTHER_TENANT, STU3_TENANT, startTestSandbox, type TestSandbox } from '../support/testSandbox.js';

const OAUTH_URIS = 'http://fhir-registry.smarthealthit.org/StructureDefinition/oauth-uris';

function expectOutcome(body: { resourceType?: string; issue?: Array<{ severity: string; code: string }> }) {
  expect(body.resourceType).toBe('OperationOutcome');
  expect(body.issue?.length).toBeGreaterThan(0);
  expect(body.issue?.[0]?.severity).toBe('error');
}

describe('FHIR gateway', () => {
  let t: TestSandbox;
  let clock: ManualClock;
  beforeAll(async () => {
    clock = new ManualClock(Date.UTC(2026, 0, 15, 9));
    t = await startTestSandbox({}, { clock });
  });

  describe('metadata', () => {
    it.each([
      ['stu3', 'CapabilityStatement', /^3\.0\./, 'application/fhir+json; charset=utf-8'],
      ['dstu2', 'Conformance', /^1\.0\.2$/, 'application/json+fhir; charset=utf-8'],
    ])('serves the %s capability document without a token', async (version, resourceType, fhirVersion, contentType) => {
      const response = await t.http.get(`/fhir/${version}/metadata`);
      expect(response.status).toBe(200);
      expect(response.headers['content-type']).toBe(contentType);
      const body = JSON.parse(response.text);
      expect(body.resourceType).toBe(resourceType);
      expect(body.fhirVersion).toMatch(fhirVersion);
      const rest = body.rest[0];
      expect(rest.mode).toBe('server');
      expect(rest.resource.map((r: { type: string }) => r.type)).toContain('Patient');
      expect(rest.security.service[0].coding[0]).toMatchObject({ system: 'http://hl7.org/fhir/restful-security-service', code: 'OAuth' });
      const uris = rest.security.extension.find((e: { url: string }) => e.url === OAUTH_URIS);
      const token = uris.extension.find((e: { url: string }) => e.url === 'token').valueUri;
      const authorize = uris.extension.find((e: { url: string }) => e.url === 'authorize').valueUri;
      expect(token).toMatch(/^http:\/\/127\.0\.0\.1(:\d+)?\/oauth2\/token$/);
      expect(authorize).toMatch(/\/oauth2\/authorize$/);
    });

    it('advertises the configured public base URL', async () => {
      const other = await startTestSandbox({ publicBaseUrl: 'https://partner.example.test' });
      const body = JSON.parse((await other.http.get('/fhir/stu3/metadata')).text);
      const uris = body.rest[0].security.extension[0].extension;
      expect(uris).toContainEqual({ url: 'token', valueUri: 'https://partner.example.test/oauth2/token' });
    });

    it('refuses XML-only clients with 406 and an OperationOutcome', async () => {
      const response = await t.http.get('/fhir/stu3/metadata').set('Accept', 'application/fhir+xml');
      expect(response.status).toBe(406);
      expectOutcome(JSON.parse(response.text));
    });

    it('answers an unknown FHIR version with an OperationOutcome', async () => {
      const response = await t.http.get('/fhir/r9/metadata');
      expect(response.status).toBeGreaterThanOrEqual(400);
      expectOutcome(JSON.parse(response.text));
    });
  });

  describe('authentication', () => {
    const expectInvalidToken = (response: { status: number; headers: Record<string, string>; text: string }) => {
      expect(response.status).toBe(401);
      expect(response.headers['www-authenticate']).toMatch(/^Bearer .*error="invalid_token"/);
      expect(response.headers['content-type']).toBe('application/fhir+json; charset=utf-8');
      expectOutcome(JSON.parse(response.text));
    };

    it('refuses a request without a token', async () => {
      expectInvalidToken(await t.http.get('/fhir/stu3/Patient/ruth-black'));
    });

    it('refuses a garbage token', async () => {
      expectInvalidToken(await t.http.get('/fhir/stu3/Patient/ruth-black').set('Authorization', 'Bearer abc.def.ghi'));
    });

    it('refuses alg none and a foreign key', async () => {
      const none = new UnsecuredJWT({ scope: STU3_TENANT, tid: STU3_TENANT }).setSubject('demo-client').encode();
      expectInvalidToken(await t.http.get('/fhir/stu3/Patient/ruth-black').set('Authorization', `Bearer ${none}`));
      const foreign = await generateKeyPair('ES256');
      const forged = await new SignJWT({ scope: STU3_TENANT, tid: STU3_TENANT })
        .setProtectedHeader({ alg: 'ES256', kid: t.sandbox.auth.keys.current.kid })
        .setSubject('demo-client')
        .setIssuer('urn:patients-sandbox:partner')
        .setAudience('urn:patients-sandbox:fhir-gateway')
        .setJti('forged')
        .setIssuedAt(Math.floor(clock.now() / 1000))
        .setExpirationTime(Math.floor(clock.now() / 1000) + 600)
        .sign(foreign.privateKey);
      expectInvalidToken(await t.http.get('/fhir/stu3/Patient/ruth-black').set('Authorization', `Bearer ${forged}`));
    });

    it('refuses an expired token', async () => {
      const local = await startTestSandbox({}, { clock: new ManualClock(Date.UTC(2026, 0, 15, 9)) });
      const token = await local.token();
      expect((await local.http.get('/fhir/stu3/Patient/ruth-black').set('Authorization', `Bearer ${token}`)).status).toBe(200);
      (local.clock as ManualClock).advance(3_601_000);
      expectInvalidToken(await local.http.get('/fhir/stu3/Patient/ruth-black').set('Authorization', `Bearer ${token}`));
    });

    it('refuses the tokens of a deleted client', async () => {
      const local = await startTestSandbox();
      const token = await local.token();
      expect((await local.http.delete('/admin/clients/demo-client')).status).toBe(204);
      expectInvalidToken(await local.http.get('/fhir/stu3/Patient/ruth-black').set('Authorization', `Bearer ${token}`));
    });
  });

  describe('tenant routing', () => {
    it("reads a patient of the token's tenant", async () => {
      const response = await t.http.get('/fhir/stu3/Patient/ruth-black').set('Authorization', `Bearer ${await t.token(STU3_TENANT)}`);
      expect(response.status).toBe(200);
      expect(response.headers['content-type']).toBe('application/fhir+json; charset=utf-8');
      const patient = JSON.parse(response.text);
      expect(patient).toMatchObject({ resourceType: 'Patient', id: 'ruth-black', gender: 'female', birthDate: '1951-08-23' });
    });

    it("never shows tenant A's patient to a token of tenant B: 404", async () => {
      const response = await t.http.get('/fhir/stu3/Patient/ruth-black').set('Authorization', `Bearer ${await t.token(STU3_OTHER_TENANT)}`);
      expect(response.status).toBe(404);
      const body = JSON.parse(response.text);
      expectOutcome(body);
      expect(response.text).not.toContain('1951-08-23');
    });

    it('names the right base URL when the tenant speaks another version', async () => {
      const response = await t.http.get('/fhir/stu3/Patient/hugh-chau').set('Authorization', `Bearer ${await t.token(DSTU2_TENANT)}`);
      expect(response.status).toBe(400);
      const body = JSON.parse(response.text);
      expectOutcome(body);
      expect(JSON.stringify(body)).toContain('/fhir/dstu2');
    });

    it('serves the DSTU2 tenant on the DSTU2 base', async () => {
      const response = await t.http.get('/fhir/dstu2/Patient/hugh-chau').set('Authorization', `Bearer ${await t.token(DSTU2_TENANT)}`);
      expect(response.status).toBe(200);
      expect(JSON.parse(response.text)).toMatchObject({ resourceType: 'Patient', id: 'hugh-chau', birthDate: '1957-06-05' });
    });

    it('answers a missing patient with 404 OperationOutcome', async () => {
      const response = await t.http.get('/fhir/stu3/Patient/does-not-exist').set('Authorization', `Bearer ${await t.token()}`);
      expect(response.status).toBe(404);
      expectOutcome(JSON.parse(response.text));
    });

    it('refuses a malformed JSON body with 400 OperationOutcome and keeps serving', async () => {
      const token = await t.token();
      const response = await t.http
        .post('/fhir/stu3')
        .set('Authorization', `Bearer ${token}`)
        .set('Content-Type', 'application/fhir+json')
        .send('{"resourceType": "Bundle", ');
      expect(response.status).toBe(400);
      expectOutcome(JSON.parse(response.text));
      expect((await t.http.get('/fhir/stu3/Patient/ruth-black').set('Authorization', `Bearer ${token}`)).status).toBe(200);
    });
  });
});
