import { beforeAll, describe, expect, it } from 'vitest';
import { nestsDeeperThan, RESOURCE_LIMITS } from '../../src/fhir/resourceLimits.js';
import { validateResource } from '../../src/fhir/validation/validateResource.js';
import { DSTU2_TENANT, STU3_TENANT, startTestSandbox, type TestSandbox } from '../support/testSandbox.js';

/**
 * A Patient whose one extension nests `levels` extensions deep (two JSON levels each: object and
 * array), as JSON text: JSON.stringify itself overflows the stack on the deepest of these.
 */
function nestedPatientJson(levels: number, id?: string): string {
  const leaf = '{"url":"http://example.org/leaf","valueString":"leaf"}';
  const extension = `${'{"url":"http://example.org/level","extension":['.repeat(levels)}${leaf}${']}'.repeat(levels)}`;
  return `{"resourceType":"Patient",${id === undefined ? '' : `"id":"${id}",`}"extension":[${extension}]}`;
}

const nestedPatient = (levels: number): Record<string, unknown> => JSON.parse(nestedPatientJson(levels)) as Record<string, unknown>;

describe('the nesting check', () => {
  it('measures levels of objects and arrays, and survives any depth JSON.parse accepts', () => {
    expect(nestsDeeperThan({ a: [{ b: 1 }] }, 3)).toBe(false);
    expect(nestsDeeperThan({ a: [{ b: [] }] }, 3)).toBe(true);
    expect(nestsDeeperThan('text', 0)).toBe(false);
    const deep = JSON.parse(`${'['.repeat(50_000)}${']'.repeat(50_000)}`) as unknown;
    expect(nestsDeeperThan(deep)).toBe(true);
  });

  it('validation refuses a too-deep resource with an issue naming the limit instead of overflowing the stack', () => {
    for (const version of ['stu3', 'dstu2'] as const) {
      expect(validateResource(version, nestedPatient(20_000))).toEqual([
        { path: 'Patient', message: `nests deeper than this server validates (at most ${RESOURCE_LIMITS.maxDepth} levels of nested JSON objects and arrays)` },
      ]);
    }
  });
});

describe.each([
  { version: 'stu3', tenant: STU3_TENANT, contentType: 'application/fhir+json; charset=utf-8' },
  { version: 'dstu2', tenant: DSTU2_TENANT, contentType: 'application/json+fhir; charset=utf-8' },
] as const)('FHIR writes on $version', ({ version, tenant, contentType }) => {
  let t: TestSandbox;
  let bearer: string;
  const base = `/fhir/${version}`;
  beforeAll(async () => {
    t = await startTestSandbox();
    bearer = `Bearer ${await t.token(tenant)}`;
  });

  const post = (path: string, body: string) => t.http.post(`${base}${path}`).set('Authorization', bearer).set('Content-Type', contentType.split(';')[0] as string).send(body);

  function expectLimitOutcome(response: { status: number; headers: Record<string, string>; text: string }, status: number, limit: RegExp) {
    expect(response.status).toBe(status);
    expect(response.headers['content-type']).toBe(contentType);
    const outcome = JSON.parse(response.text) as { resourceType: string; issue: Array<{ code: string; diagnostics: string }> };
    expect(outcome.resourceType).toBe('OperationOutcome');
    expect(outcome.issue[0]?.diagnostics).toMatch(limit);
  }

  it.each([1_500, 3_000, 20_000])('refuses a Patient nested %i extensions deep with 400 naming the limit', async (levels) => {
    const response = await post('/Patient', nestedPatientJson(levels));
    expectLimitOutcome(response, 400, /at most 100 levels of nested JSON/);
    expect(JSON.parse(response.text).issue[0].code).toBe('too-long');
  });

  it('refuses a batch whose entry nests too deep, and one over the size limit with 413 naming it', async () => {
    const batch = `{"resourceType":"Bundle","type":"batch","entry":[{"request":{"method":"POST","url":"Patient"},"resource":${nestedPatientJson(1_500)}}]}`;
    expectLimitOutcome(await post('', batch), 400, /at most 100 levels/);
    const huge = JSON.stringify({ resourceType: 'Patient', text: { status: 'generated', div: `<div>${'x'.repeat(RESOURCE_LIMITS.maxBytes)}</div>` } });
    expectLimitOutcome(await post('/Patient', huge), 413, new RegExp(`at most ${RESOURCE_LIMITS.maxBytes} bytes`));
  });

  it('takes a resource nested within the limit, and every listing keeps working', async () => {
    const created = await post('/Patient', nestedPatientJson(40));
    expect(created.status).toBe(201);
    const listing = await t.http.get(`/admin/tenants/${tenant}/records/Patient`);
    expect(listing.status).toBe(200);
    expect((await t.http.get(`${base}/Patient?_count=500`).set('Authorization', bearer)).status).toBe(200);
  });
});

describe('raw record edits', () => {
  const records = `/admin/tenants/${STU3_TENANT}/records/Patient`;

  it.each([1_500, 3_000, 20_000])('refuse a Patient nested %i extensions deep with a JSON error naming the limit; listings keep working', async (levels) => {
    const { http } = await startTestSandbox();
    for (const response of [
      await http.post(records).set('Content-Type', 'application/json').send(nestedPatientJson(levels, 'deep')),
      await http.put(`${records}/ruth-black`).set('Content-Type', 'application/json').send(nestedPatientJson(levels, 'ruth-black')),
    ]) {
      expect(response.status).toBeGreaterThanOrEqual(400);
      expect(response.status).toBeLessThan(500);
      expect(response.headers['content-type']).toMatch(/^application\/json/);
      expect(response.body.message).toMatch(/at most 100 levels of nested JSON/);
    }
    const listing = await http.get(records);
    expect(listing.status).toBe(200);
    expect(listing.body.map((patient: { id: string }) => patient.id)).not.toContain('deep');
  });
});
