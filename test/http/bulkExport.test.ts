import type { Response } from 'supertest';
import { describe, expect, it } from 'vitest';
import { patientCompartmentTypes } from '../../src/fhir/export/patientCompartment.js';
import type { FhirVersion } from '../../src/fhir/types.js';
import { validateResource } from '../../src/fhir/validation/validateResource.js';
import { fhirContentType } from '../../src/fhir/versions/contentType.js';
import { adapterFor } from '../../src/fhir/versions/index.js';
import { ManualClock } from '../../src/lib/clock.js';
import {
  download,
  downloadAll,
  downloadLines,
  exportManifest,
  kickoff,
  pathOf,
  pollUntilDone,
  startExport,
} from '../support/bulkExportClient.js';
import { DEMO_CLIENT, DSTU2_TENANT, LIMITED_CLIENT, R4_TENANT, STU3_OTHER_TENANT, STU3_TENANT, startTestSandbox } from '../support/testSandbox.js';

const TENANTS: ReadonlyArray<readonly [FhirVersion, string]> = [
  ['stu3', STU3_TENANT],
  ['dstu2', DSTU2_TENANT],
  ['r4', R4_TENANT],
];

/** The OperationOutcome of an answer, read with the text parser (downloads) or without. */
function outcomeOf(response: Response): { resourceType: string } {
  return JSON.parse(typeof response.body === 'string' ? response.body : response.text) as { resourceType: string };
}

/** A gate the export job waits at between slices, opened by the test: the job is then visibly "in progress". */
function slicePacer() {
  let open: (() => void) | undefined;
  const waiting: Array<() => void> = [];
  return {
    yieldToLoop: () =>
      new Promise<void>((resolve) => {
        if (open) resolve();
        else waiting.push(resolve);
      }),
    release(): void {
      open = () => undefined;
      for (const resolve of waiting.splice(0)) resolve();
    },
    /** Lets exactly one waiting slice go on. */
    step(): void {
      waiting.shift()?.();
    },
  };
}

describe.each(TENANTS)('Bulk Data export on the %s gateway', (version, tenantId) => {
  const base = `/fhir/${version}`;

  it('kick-off → poll → manifest → download: every line parses, validates, and the counts match the tenant', async () => {
    const { http, token, sandbox, clock } = await startTestSandbox();
    const bearer = `Bearer ${await token(tenantId)}`;
    const response = await kickoff(http, bearer, `${base}/$export`);
    expect(response.status).toBe(202);
    expect(response.headers['content-type']).toBe(fhirContentType(version));
    expect(JSON.parse(response.text)).toMatchObject({ resourceType: 'OperationOutcome', issue: [{ severity: 'information' }] });
    const status = await pollUntilDone(http, bearer, pathOf(response.headers['content-location'] as string));
    expect(status.status).toBe(200);
    const manifest = JSON.parse(status.text);
    expect(manifest).toMatchObject({
      transactionTime: new Date(clock.now()).toISOString(),
      request: expect.stringMatching(new RegExp(`^http://127\\.0\\.0\\.1:\\d+${base}/\\$export$`)),
      requiresAccessToken: true,
      error: [],
    });
    expect(status.headers['expires']).toBe(new Date(clock.now() + 3_600_000).toUTCString());

    const store = sandbox.tenants.get(tenantId)?.store;
    const byType = await downloadAll(http, bearer, manifest);
    expect(new Set(byType.keys())).toEqual(new Set(store?.types()));
    expect(byType.get('Group')?.length).toBeGreaterThan(0);
    for (const [type, resources] of byType) {
      expect(resources.length, type).toBe(store?.count(type));
      for (const resource of resources) {
        expect(resource['resourceType']).toBe(type);
        expect(validateResource(version, resource), `${type}/${String(resource['id'])}`).toEqual([]);
      }
    }
    for (const entry of manifest.output) expect(entry.url).toMatch(new RegExp(`${base}/\\$export-file/[^/]+/${entry.type}-1\\.ndjson$`));
  });

  it('Patient/$export covers the Patient compartment only; _type narrows it', async () => {
    const { http, token, sandbox } = await startTestSandbox();
    const bearer = `Bearer ${await token(tenantId)}`;
    const store = sandbox.tenants.get(tenantId)?.store;
    const compartment = patientCompartmentTypes(adapterFor(version));
    const manifest = await exportManifest(http, bearer, `${base}/Patient/$export`);
    expect(manifest.output.map((entry) => entry.type)).toEqual(compartment.filter((type) => (store?.count(type) ?? 0) > 0));
    expect(compartment).not.toContain('Practitioner');
    for (const entry of manifest.output) expect(entry.count).toBe(store?.count(entry.type));

    const narrowed = await exportManifest(http, bearer, `${base}/Patient/$export?_type=Condition,Patient`);
    expect(narrowed.output.map((entry) => entry.type)).toEqual(['Patient', 'Condition']);
    const repeated = await exportManifest(http, bearer, `${base}/$export?_type=Practitioner&_type=Location`);
    expect(repeated.output.map((entry) => entry.type)).toEqual(['Location', 'Practitioner']);
  });

  it('serves the care-team Groups: read by id, searched by member, type and actual, all valid', async () => {
    const { http, token } = await startTestSandbox();
    const bearer = `Bearer ${await token(tenantId)}`;
    type GroupJson = { id: string; member?: Array<{ entity: { reference: string } }> };
    const all = JSON.parse((await http.get(`${base}/Group?_count=50`).set('Authorization', bearer)).text) as { entry: Array<{ resource: GroupJson }> };
    const withMembers = all.entry.map((entry) => entry.resource).find((resource) => resource.member !== undefined) as GroupJson;
    const read = await http.get(`${base}/Group/${withMembers.id}`).set('Authorization', bearer);
    expect(read.status).toBe(200);
    const group = JSON.parse(read.text) as GroupJson;
    expect(validateResource(version, group as never)).toEqual([]);
    const member = group.member?.[0]?.entity.reference ?? 'Patient/none';
    const byMember = await http.get(`${base}/Group?member=${member}&type=person&actual=true`).set('Authorization', bearer);
    expect(byMember.status).toBe(200);
    const bundle = JSON.parse(byMember.text) as { total: number; entry: Array<{ resource: { id: string } }> };
    expect(bundle.entry.map((entry) => entry.resource.id)).toEqual([group.id]);
    expect(validateResource(version, bundle as never)).toEqual([]);
  });

  it("Group/<id>/$export exports exactly the members' compartments", async () => {
    const { http, token } = await startTestSandbox();
    const bearer = `Bearer ${await token(tenantId)}`;
    const groups = await http.get(`${base}/Group?_count=50`).set('Authorization', bearer);
    expect(groups.status).toBe(200);
    type Entry = { resource: { id: string; quantity: number; member?: Array<{ entity: { reference: string } }> } };
    const group = (JSON.parse(groups.text).entry as Entry[]).map((entry) => entry.resource).find((resource) => resource.quantity >= 2);
    if (group === undefined) throw new Error('no Group with two members');
    const members = new Set((group.member ?? []).map((member) => member.entity.reference));

    const manifest = await exportManifest(http, bearer, `${base}/Group/${group.id}/$export`);
    const byType = await downloadAll(http, bearer, manifest);
    expect(new Set((byType.get('Patient') ?? []).map((patient) => `Patient/${String(patient['id'])}`))).toEqual(members);
    for (const [type, resources] of byType) {
      if (type === 'Patient') continue;
      for (const resource of resources) {
        const references = JSON.stringify(resource).match(/"reference":"Patient\/[^"]+"/g) ?? [];
        expect(references.some((reference) => members.has(reference.slice(13, -1))), `${type}/${String(resource['id'])}`).toBe(true);
      }
      // Same count as searching each member's resources of the type.
      let searched = 0;
      for (const member of members) {
        const found = await http.get(`${base}/${type}?patient=${member}&_count=1`).set('Authorization', bearer);
        searched += JSON.parse(found.text).total as number;
      }
      expect(resources.length, type).toBe(searched);
    }
  });
});

describe('Bulk Data export, kick-off rules', () => {
  it('refuses a kick-off without Prefer: respond-async, with an OperationOutcome', async () => {
    const { http, token } = await startTestSandbox();
    const response = await kickoff(http, `Bearer ${await token()}`, '/fhir/stu3/$export', '');
    expect(response.status).toBe(400);
    expect(response.headers['content-type']).toBe(fhirContentType('stu3'));
    expect(JSON.parse(response.text)).toMatchObject({ resourceType: 'OperationOutcome', issue: [{ severity: 'error', code: 'invalid', expression: ['Prefer'] }] });
    const dstu2 = await kickoff(http, `Bearer ${await token(DSTU2_TENANT)}`, '/fhir/dstu2/Patient/$export', 'return=minimal');
    expect(dstu2.status).toBe(400);
    expect(dstu2.headers['content-type']).toBe(fhirContentType('dstu2'));
  });

  it('needs a token of the tenant, as every gateway call does', async () => {
    const { http } = await startTestSandbox();
    const response = await http.get('/fhir/stu3/$export').set('Prefer', 'respond-async');
    expect(response.status).toBe(401);
    expect(JSON.parse(response.text).resourceType).toBe('OperationOutcome');
  });

  it('accepts the NDJSON _outputFormat spellings and refuses others, unless lenient', async () => {
    const { http, token } = await startTestSandbox();
    const bearer = `Bearer ${await token()}`;
    for (const format of ['application%2Ffhir%2Bndjson', 'application/fhir+ndjson', 'application/ndjson', 'ndjson']) {
      expect((await kickoff(http, bearer, `/fhir/stu3/$export?_type=Location&_outputFormat=${format}`)).status, format).toBe(202);
    }
    const csv = await kickoff(http, bearer, '/fhir/stu3/$export?_outputFormat=text/csv');
    expect(csv.status).toBe(400);
    expect(JSON.parse(csv.text)).toMatchObject({ issue: [{ code: 'not-supported', expression: ['_outputFormat'] }] });
  });

  it('refuses unknown types, types outside the Patient compartment and unsupported parameters (400)', async () => {
    const { http, token } = await startTestSandbox();
    const bearer = `Bearer ${await token()}`;
    for (const query of ['_type=Spaceship', '_type=MedicationOrder', '_elements=id', '_typeFilter=Patient%3Fgender%3Dfemale']) {
      const response = await kickoff(http, bearer, `/fhir/stu3/$export?${query}`);
      expect(response.status, query).toBe(400);
      expect(JSON.parse(response.text).resourceType).toBe('OperationOutcome');
    }
    const outside = await kickoff(http, bearer, '/fhir/stu3/Patient/$export?_type=Practitioner');
    expect(outside.status).toBe(400);
    expect(JSON.parse(outside.text).issue[0].diagnostics).toMatch(/outside the Patient compartment/);
    const since = await kickoff(http, bearer, '/fhir/stu3/$export?_since=2026-01-01');
    expect(since.status).toBe(400);
    expect(JSON.parse(since.text)).toMatchObject({ issue: [{ expression: ['_since'] }] });
    const onObservation = await kickoff(http, bearer, '/fhir/stu3/Observation/$export');
    expect(onObservation.status).toBe(400);
    const post = await http.post('/fhir/stu3/$export').set('Authorization', bearer).set('Prefer', 'respond-async');
    expect(post.status).toBe(405);
    expect(post.headers['allow']).toBe('GET');
  });

  it('with Prefer: handling=lenient, ignores what it does not serve and lists it in error[]', async () => {
    const { http, token } = await startTestSandbox();
    const bearer = `Bearer ${await token()}`;
    const manifest = await exportManifest(http, bearer, '/fhir/stu3/$export?_type=Location,Spaceship&_elements=id', 'respond-async, handling=lenient');
    expect(manifest.output.map((entry) => entry.type)).toEqual(['Location']);
    expect(manifest.error).toHaveLength(1);
    expect(manifest.error[0]).toMatchObject({ type: 'OperationOutcome', count: 2 });
    const outcomes = await downloadLines(http, bearer, manifest.error[0]?.url as string);
    for (const outcome of outcomes) expect(validateResource('stu3', outcome)).toEqual([]);
    expect(outcomes.map((outcome) => (outcome['issue'] as Array<{ diagnostics: string }>)[0]?.diagnostics)).toEqual([
      expect.stringMatching(/_elements.*ignored/),
      expect.stringMatching(/Spaceship.*ignored/),
    ]);
  });

  it('exports only what changed after _since', async () => {
    const clock = new ManualClock(Date.UTC(2026, 0, 15, 9));
    const { http, token } = await startTestSandbox({}, { clock });
    const bearer = `Bearer ${await token()}`;
    clock.advance(60_000);
    const cutOff = new Date(clock.now()).toISOString();
    clock.advance(60_000);
    const read = await http.get('/fhir/stu3/Patient/ruth-black').set('Authorization', bearer);
    const updated = await http.put('/fhir/stu3/Patient/ruth-black').set('Authorization', bearer).set('Content-Type', 'application/fhir+json').send({ ...JSON.parse(read.text), active: false });
    expect(updated.status).toBe(200);

    const manifest = await exportManifest(http, bearer, `/fhir/stu3/$export?_since=${encodeURIComponent(cutOff)}`);
    expect(manifest.output).toEqual([expect.objectContaining({ type: 'Patient', count: 1 })]);
    const [patient] = await downloadLines(http, bearer, manifest.output[0]?.url as string);
    expect(patient).toMatchObject({ id: 'ruth-black', active: false, meta: { versionId: '2' } });
    const everything = await exportManifest(http, bearer, '/fhir/stu3/Patient/$export?_since=2000-01-01T00:00:00%2B01:00');
    expect(everything.output.length).toBeGreaterThan(5);
  });

  it('reports a Group member that does not exist in error[], and exports the others', async () => {
    const { http, token } = await startTestSandbox();
    const bearer = `Bearer ${await token()}`;
    const group = { resourceType: 'Group', id: 'mixed', type: 'person', actual: true, member: [{ entity: { reference: 'Patient/ruth-black' } }, { entity: { reference: 'Patient/ghost' } }] };
    expect((await http.put('/fhir/stu3/Group/mixed').set('Authorization', bearer).set('Content-Type', 'application/fhir+json').send(group)).status).toBe(201);
    const manifest = await exportManifest(http, bearer, '/fhir/stu3/Group/mixed/$export/?_type=Patient');
    expect(manifest.output).toEqual([expect.objectContaining({ type: 'Patient', count: 1 })]);
    const [outcome] = await downloadLines(http, bearer, manifest.error[0]?.url as string);
    expect(outcome).toMatchObject({ resourceType: 'OperationOutcome', issue: [{ severity: 'warning', code: 'not-found', diagnostics: expect.stringContaining('Patient/ghost') }] });
  });

  it('refuses an unknown Group (404) and a deleted one (410)', async () => {
    const { http, token } = await startTestSandbox();
    const bearer = `Bearer ${await token()}`;
    const missing = await kickoff(http, bearer, '/fhir/stu3/Group/no-such-group/$export');
    expect(missing.status).toBe(404);
    expect(JSON.parse(missing.text).resourceType).toBe('OperationOutcome');
    expect((await http.delete('/fhir/stu3/Group/panel-prac-001').set('Authorization', bearer)).status).toBe(204);
    expect((await kickoff(http, bearer, '/fhir/stu3/Group/panel-prac-001/$export')).status).toBe(410);
  });
});

describe('Bulk Data export, status, files and their owners', () => {
  it('answers 202 with X-Progress and Retry-After while the job runs, then 200', async () => {
    const pacer = slicePacer();
    const { http, token } = await startTestSandbox({}, { bulkExport: { yieldToLoop: pacer.yieldToLoop, recordsPerSlice: 50 } });
    const bearer = `Bearer ${await token()}`;
    const statusPath = await startExport(http, bearer, '/fhir/stu3/$export?_type=Patient,Observation');
    const first = await http.get(statusPath).set('Authorization', bearer);
    expect(first.status).toBe(202);
    expect(first.headers['x-progress']).toBe('0%');
    expect(first.headers['retry-after']).toBe('1');
    expect(first.text).toBe('');
    pacer.step();
    pacer.step();
    await new Promise((resolve) => setImmediate(resolve));
    const later = await http.get(statusPath).set('Authorization', bearer);
    expect(later.status).toBe(202);
    expect(later.headers['x-progress']).toMatch(/^\d+% \((Patient|Observation)\)$/);
    pacer.release();
    expect((await pollUntilDone(http, bearer, statusPath)).status).toBe(200);
  });

  it('splits a type into files of the configured size, counted in the manifest', async () => {
    const { http, token, sandbox } = await startTestSandbox({}, { bulkExport: { resourcesPerFile: 40, recordsPerSlice: 7 } });
    const bearer = `Bearer ${await token()}`;
    const manifest = await exportManifest(http, bearer, '/fhir/stu3/$export?_type=Observation');
    const total = sandbox.tenants.get(STU3_TENANT)?.store.count('Observation') ?? 0;
    expect(manifest.output.length).toBe(Math.ceil(total / 40));
    expect(manifest.output.map((entry) => entry.count)).toEqual([...Array(manifest.output.length - 1).fill(40), total - 40 * (manifest.output.length - 1)]);
    expect(manifest.output.map((entry) => entry.url.split('/').pop())).toEqual(manifest.output.map((_, index) => `Observation-${index + 1}.ndjson`));
    const ids = new Set((await downloadAll(http, bearer, manifest)).get('Observation')?.map((resource) => resource['id']));
    expect(ids.size).toBe(total);
  });

  it('keeps the snapshot of kick-off: a write while the job runs is not in the files', async () => {
    const pacer = slicePacer();
    const { http, token } = await startTestSandbox({}, { bulkExport: { yieldToLoop: pacer.yieldToLoop } });
    const bearer = `Bearer ${await token()}`;
    const statusPath = await startExport(http, bearer, '/fhir/stu3/$export?_type=Location');
    const created = await http.post('/fhir/stu3/Location').set('Authorization', bearer).set('Content-Type', 'application/fhir+json').send({ resourceType: 'Location', name: 'New wing' });
    expect(created.status).toBe(201);
    pacer.release();
    const manifest = JSON.parse((await pollUntilDone(http, bearer, statusPath)).text);
    const locations = await downloadLines(http, bearer, manifest.output[0].url);
    expect(locations.map((location) => location['name'])).not.toContain('New wing');
  });

  it('DELETE on the status URL cancels a running export and frees a finished one; both are then gone (404)', async () => {
    const pacer = slicePacer();
    const { http, token, sandbox } = await startTestSandbox({}, { bulkExport: { yieldToLoop: pacer.yieldToLoop } });
    const bearer = `Bearer ${await token()}`;
    const running = await startExport(http, bearer, '/fhir/stu3/$export');
    const cancelled = await http.delete(running).set('Authorization', bearer);
    expect(cancelled.status).toBe(202);
    expect(JSON.parse(cancelled.text)).toMatchObject({ resourceType: 'OperationOutcome', issue: [{ severity: 'information' }] });
    pacer.release();
    const after = await http.get(running).set('Authorization', bearer);
    expect(after.status).toBe(404);
    expect(JSON.parse(after.text)).toMatchObject({ resourceType: 'OperationOutcome', issue: [{ code: 'not-found' }] });

    const manifest = await exportManifest(http, bearer, '/fhir/stu3/$export?_type=Patient');
    const url = manifest.output[0]?.url as string;
    expect((await download(http, bearer, url)).status).toBe(200);
    expect(sandbox.exports.size).toBe(1);
    const statusPath = pathOf(url).replace(/\$export-file\/([^/]+)\/.*$/, '$export-status/$1');
    expect((await http.delete(statusPath).set('Authorization', bearer)).status).toBe(202);
    expect(sandbox.exports.size).toBe(0);
    const gone = await download(http, bearer, url);
    expect(gone.status).toBe(404);
    expect(gone.headers['content-type']).toBe(fhirContentType('stu3'));
    expect((await http.delete(statusPath).set('Authorization', bearer)).status).toBe(404);
  });

  it("refuses another tenant's token (404) and another client's token of the same tenant (403)", async () => {
    const { http, token } = await startTestSandbox();
    const bearer = `Bearer ${await token(STU3_OTHER_TENANT)}`;
    const manifest = await exportManifest(http, bearer, '/fhir/stu3/$export?_type=Patient');
    const url = manifest.output[0]?.url as string;
    const statusPath = pathOf(url).replace(/\$export-file\/([^/]+)\/.*$/, '$export-status/$1');

    const otherTenant = `Bearer ${await token(STU3_TENANT)}`;
    for (const response of [await download(http, otherTenant, url), await http.get(statusPath).set('Authorization', otherTenant), await http.delete(statusPath).set('Authorization', otherTenant)]) {
      expect(response.status).toBe(404);
      expect(response.headers['content-type']).toBe(fhirContentType('stu3'));
      expect(outcomeOf(response).resourceType).toBe('OperationOutcome');
    }
    const limited = await http
      .post('/oauth2/token')
      .type('form')
      .send({ grant_type: 'client_credentials', client_id: LIMITED_CLIENT.id, client_secret: LIMITED_CLIENT.secret, scope: STU3_OTHER_TENANT });
    const otherClient = `Bearer ${limited.body.access_token as string}`;
    const refused = await download(http, otherClient, url);
    expect(refused.status).toBe(403);
    expect(outcomeOf(refused)).toMatchObject({ resourceType: 'OperationOutcome', issue: [{ code: 'forbidden' }] });
    expect((await http.get(statusPath).set('Authorization', otherClient)).status).toBe(403);
    expect((await download(http, bearer, url)).status).toBe(200);
  });

  it('a file name that is not in the export is 404; a status URL needs a token', async () => {
    const { http, token } = await startTestSandbox();
    const bearer = `Bearer ${await token()}`;
    const manifest = await exportManifest(http, bearer, '/fhir/stu3/$export?_type=Patient');
    const url = manifest.output[0]?.url as string;
    expect((await download(http, bearer, url.replace('Patient-1', 'Patient-2'))).status).toBe(404);
    expect((await http.get(pathOf(url))).status).toBe(401);
  });

  it('expires a finished export an hour after it completed', async () => {
    const clock = new ManualClock(Date.UTC(2026, 0, 15, 9));
    const { http, token, sandbox } = await startTestSandbox({}, { clock });
    const bearer = `Bearer ${await token()}`;
    const manifest = await exportManifest(http, bearer, '/fhir/stu3/$export?_type=Patient');
    const url = manifest.output[0]?.url as string;
    clock.advance(3_599_000);
    expect((await download(http, bearer, url)).status).toBe(200);
    clock.advance(1_000);
    expect((await download(http, `Bearer ${await token()}`, url)).status).toBe(404);
    expect(sandbox.exports.size).toBe(0);
  });

  it('holds at most five exports per client and tenant (429 for a sixth until one is deleted)', async () => {
    const { http, token } = await startTestSandbox();
    const bearer = `Bearer ${await token()}`;
    const statuses: string[] = [];
    for (let i = 0; i < 5; i++) statuses.push(await startExport(http, bearer, '/fhir/stu3/$export?_type=Location'));
    const sixth = await kickoff(http, bearer, '/fhir/stu3/$export?_type=Location');
    expect(sixth.status).toBe(429);
    expect(JSON.parse(sixth.text)).toMatchObject({ resourceType: 'OperationOutcome', issue: [{ code: 'throttled' }] });
    expect((await kickoff(http, `Bearer ${await token(STU3_OTHER_TENANT)}`, '/fhir/stu3/$export?_type=Location')).status).toBe(202);
    await http.delete(statuses[0] as string).set('Authorization', bearer);
    expect((await kickoff(http, bearer, '/fhir/stu3/$export?_type=Location')).status).toBe(202);
  });
});

describe('Bulk Data export and SMART scopes: exporting a type takes a scope that may read it', () => {
  const tokenWithScopes = async (http: Awaited<ReturnType<typeof startTestSandbox>>['http'], scopes: string) => {
    const response = await http
      .post('/oauth2/token')
      .type('form')
      .send({ grant_type: 'client_credentials', client_id: DEMO_CLIENT.id, client_secret: DEMO_CLIENT.secret, scope: `${R4_TENANT} ${scopes}` });
    expect(response.status, response.text).toBe(200);
    return `Bearer ${response.body.access_token as string}`;
  };

  it('system/*.read and system/*.rs export everything; a narrower scope exports only its types', async () => {
    const { http, sandbox } = await startTestSandbox();
    const store = sandbox.tenants.get(R4_TENANT)?.store;
    for (const scopes of ['system/*.read', 'system/*.rs']) {
      const manifest = await exportManifest(http, await tokenWithScopes(http, scopes), '/fhir/r4/$export');
      expect(new Set(manifest.output.map((entry) => entry.type)), scopes).toEqual(new Set(store?.types()));
    }
    const narrow = await tokenWithScopes(http, 'system/Patient.rs system/Condition.read system/Observation.s');
    const manifest = await exportManifest(http, narrow, '/fhir/r4/Patient/$export');
    // Search alone (Observation.s) does not read: the export is bulk reading.
    expect(manifest.output.map((entry) => entry.type)).toEqual(['Patient', 'Condition']);
    for (const entry of manifest.output) {
      for (const line of await downloadLines(http, narrow, entry.url)) expect(validateResource('r4', line)).toEqual([]);
    }
  });

  it('refuses (403) a _type the token may not read, a Group it may not read, and an export of nothing readable', async () => {
    const { http } = await startTestSandbox();
    const narrow = await tokenWithScopes(http, 'system/Patient.read');
    const refusals = [
      await kickoff(http, narrow, '/fhir/r4/$export?_type=Patient,Observation'),
      await kickoff(http, narrow, '/fhir/r4/Group/panel-prac-001/$export'),
      await kickoff(http, await tokenWithScopes(http, 'system/*.write'), '/fhir/r4/$export'),
    ];
    for (const refused of refusals) {
      expect(refused.status).toBe(403);
      expect(refused.headers['content-type']).toBe(fhirContentType('r4'));
      expect(JSON.parse(refused.text)).toMatchObject({ resourceType: 'OperationOutcome', issue: [{ severity: 'error', code: 'forbidden' }] });
    }
    const withGroup = await tokenWithScopes(http, 'system/Patient.read system/Group.read');
    const groups = JSON.parse((await http.get('/fhir/r4/Group?_count=50').set('Authorization', withGroup)).text) as { entry: Array<{ resource: { id: string; quantity: number } }> };
    const panel = groups.entry.map((entry) => entry.resource).find((group) => group.quantity > 0);
    const manifest = await exportManifest(http, withGroup, `/fhir/r4/Group/${panel?.id ?? 'none'}/$export`);
    expect(manifest.output).toEqual([expect.objectContaining({ type: 'Patient', count: panel?.quantity })]);
  });
});
