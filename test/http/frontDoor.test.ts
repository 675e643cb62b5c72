import { describe, expect, it } from 'vitest';
import { DSTU2_TENANT, R4_TENANT, STU3_TENANT, startTestSandbox } from '../support/testSandbox.js';

interface FrontDoorJson {
  tokenUrl: string;
  gateways: Array<{ fhirVersion: string; baseUrl: string; metadataUrl: string }>;
  demoClient: { id: string; secret: string | null } | null;
  tenants: Array<{ id: string; name: string; fhirVersion: string; patientCount: number; ready: boolean; examplePatients: Array<{ id: string; given: string; family: string }>; recordsUrl: string; curl: string[] }>;
  admin: { keyRequired: boolean; links: Array<{ title: string; url: string }> };
}

describe('the front door (GET /)', () => {
  it('answers Accept: application/json (and curl\'s */*) with URLs, demo client and tenants', async () => {
    const { http } = await startTestSandbox();
    for (const accept of ['application/json', '*/*']) {
      const response = await http.get('/').set('Accept', accept);
      expect(response.status).toBe(200);
      expect(response.type).toBe('application/json');
    }
    const door = (await http.get('/').set('Accept', 'application/json')).body as FrontDoorJson;
    const origin = new URL(door.tokenUrl).origin;
    expect(door.tokenUrl).toBe(`${origin}/oauth2/token`);
    expect(door.gateways.map((gateway) => gateway.baseUrl)).toEqual([`${origin}/fhir/dstu2`, `${origin}/fhir/stu3`, `${origin}/fhir/r4`]);
    expect(door.demoClient).toEqual({ id: 'demo-client', secret: 'demo-secret-change-me' });
    const northside = door.tenants.find((tenant) => tenant.id === STU3_TENANT);
    // 12 generated patients plus the two fixture patients of the STU3 file.
    expect(northside).toMatchObject({ name: 'Northside', fhirVersion: 'stu3', patientCount: 14, ready: true });
    expect(northside?.examplePatients).toContainEqual({ id: 'ruth-black', given: 'Ruth', family: 'Black' });
    expect(northside?.recordsUrl).toBe(`${origin}/admin/tenants/${STU3_TENANT}/records/Patient?_limit=20`);
    const lakeview = door.tenants.find((tenant) => tenant.id === DSTU2_TENANT);
    // DSTU2 names have a list of family names; the example still reads as one.
    expect(lakeview?.examplePatients.length).toBeGreaterThan(0);
    expect(typeof lakeview?.examplePatients[0]?.family).toBe('string');
    // The R4 tenant holds all three of the spec's example patients.
    const harborview = door.tenants.find((tenant) => tenant.id === R4_TENANT);
    expect(harborview).toMatchObject({ fhirVersion: 'r4', patientCount: 13, ready: true });
    expect(harborview?.examplePatients).toContainEqual({ id: 'ruth-black', given: 'Ruth', family: 'Black' });
    expect(harborview?.curl[1]).toContain(`${origin}/fhir/r4/Patient/_search`);
    expect(door.admin.links.map((entry) => entry.url)).toContain(`${origin}/admin/tenants`);
  });

  it('its curl lines work as written: the token line\'s request and the search find the example patient', async () => {
    const { http } = await startTestSandbox();
    const door = (await http.get('/').set('Accept', 'application/json')).body as FrontDoorJson;
    const northside = door.tenants.find((tenant) => tenant.id === STU3_TENANT);
    expect(northside?.curl[0]).toContain(`-u demo-client:demo-secret-change-me -d grant_type=client_credentials -d scope=${STU3_TENANT}`);
    expect(northside?.curl[1]).toContain(`-d given=daniel -d family=adams ${new URL(door.tokenUrl).origin}/fhir/stu3/Patient/_search`);
    const token = await http.post('/oauth2/token').auth('demo-client', 'demo-secret-change-me').type('form').send({ grant_type: 'client_credentials', scope: STU3_TENANT });
    const search = await http.post('/fhir/stu3/Patient/_search').set('Authorization', `Bearer ${token.body.access_token}`).type('form').send('given=daniel&family=adams');
    expect(JSON.parse(search.text).entry[0].resource.id).toBe('daniel-adams');
  });

  it('answers a browser with one self-contained HTML page', async () => {
    const { http } = await startTestSandbox();
    const response = await http.get('/').set('Accept', 'text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8');
    expect(response.status).toBe(200);
    expect(response.type).toBe('text/html');
    expect(response.headers['content-security-policy']).toContain("default-src 'none'");
    const page = response.text;
    expect(page).toMatch(/^<!doctype html>/);
    for (const text of [STU3_TENANT, DSTU2_TENANT, 'Northside', '/oauth2/token', '/fhir/stu3', 'demo-secret-change-me', 'Ruth Black', 'raw records', '/admin/faults', 'curl -s']) {
      expect(page).toContain(text);
    }
    // No external assets: nothing is loaded from a src or stylesheet link.
    expect(page).not.toMatch(/<(?:script|img|iframe)[^>]+src=|<link[^>]+rel="?stylesheet/i);
  });

  it('escapes everything that comes from the profile', async () => {
    const { http } = await startTestSandbox({}, {
      profile: {
        name: '<b>evil</b>',
        tenants: [{ id: STU3_TENANT, name: '<script>alert("x")</script>', hospital: 'A & B "Hospital"', fhirVersion: 'stu3', patients: 1 }],
        clients: [{ id: 'demo-client', secret: "it's <secret>", tenants: '*' }],
      },
    });
    const page = (await http.get('/').set('Accept', 'text/html')).text;
    expect(page).not.toContain('<script>alert');
    expect(page).not.toContain('<b>evil</b>');
    expect(page).toContain('&#60;script&#62;alert(&#34;x&#34;)&#60;/script&#62;');
    expect(page).toContain('A &#38; B &#34;Hospital&#34;');
    const door = (await http.get('/').set('Accept', 'application/json')).body as FrontDoorJson;
    expect(door.tenants[0]?.curl[0]).toContain(`-u 'demo-client:it'\\''s <secret>'`);
  });

  it('hides the demo secret when an admin key protects the sandbox', async () => {
    const { http } = await startTestSandbox({ adminKey: 'k-123456' });
    const door = (await http.get('/').set('Accept', 'application/json')).body as FrontDoorJson;
    expect(door.demoClient).toEqual({ id: 'demo-client', secret: null });
    expect(door.admin.keyRequired).toBe(true);
    expect((await http.get('/').set('Accept', 'text/html')).text).not.toContain('demo-secret-change-me');
  });
});
