import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Resource } from '../../src/fhir/types.js';
import { closeUpstreams } from '../../src/tenants/upstreamTenants.js';
import { startMedplumUpstream, type MedplumUpstream } from '../support/medplumUpstream.js';
import { DEMO_CLIENT, startTestSandbox, type TestSandbox } from '../support/testSandbox.js';

const TENANT = '2d8e3f4a-5b6c-4d7e-8f90-a1b2c3d4e5f6';
const PROFILE = {
  tenants: [{ id: TENANT, name: 'Recorded', hospital: 'Medplum in memory (R4)', fhirVersion: 'r4', upstream: { baseUrl: 'http://127.0.0.1:1/fhir' } }],
  clients: [{ id: DEMO_CLIENT.id, secret: DEMO_CLIENT.secret, tenants: '*' }],
};
const FAMILIES = ['Oyelaran', 'Vantongeren', 'Kowalczyk'];
const GIVEN = ['Adaeze', 'Bartholomeus', 'Wiesława'];
const MRNS = ['MRN-8812345', 'MRN-8812346', 'MRN-8812347'];

interface Bundle extends Resource {
  entry?: Array<{ resource?: Resource }>;
}

/** The contract's calls for one patient: read, search by identifier, and the clinical searches by patient. */
function contractCalls(patient: Resource, mrn: string): string[] {
  return [
    `Patient/${patient.id}`,
    `Patient?identifier=urn:test:mrn|${mrn}`,
    `Observation?patient=${patient.id}`,
    `Condition?patient=${patient.id}`,
    `AllergyIntolerance?patient=${patient.id}`,
  ];
}

/** What a call answered, as resources by type/id: order and paging may differ between upstream and replay. */
async function answers(t: TestSandbox, calls: string[]): Promise<Record<string, Record<string, unknown>>> {
  const bearer = `Bearer ${await t.token(TENANT)}`;
  const result: Record<string, Record<string, unknown>> = {};
  for (const call of calls) {
    const response = await t.http.get(`/fhir/r4/${call}`).set('Authorization', bearer);
    expect(response.status, call).toBe(200);
    const body = JSON.parse(response.text) as Bundle;
    const resources = body.resourceType === 'Bundle' ? (body.entry ?? []).map((entry) => entry.resource as Resource) : [body];
    result[call] = Object.fromEntries(resources.map((resource) => [`${resource.resourceType}/${resource.id}`, withoutMeta(resource)]));
  }
  return result;
}

// The store keeps its own meta (versionId, lastUpdated): the data is what must match.
function withoutMeta(resource: Resource): unknown {
  const { meta: _meta, ...rest } = resource;
  return rest;
}

describe('record what an upstream tenant serves, then replay it offline', () => {
  let upstream: MedplumUpstream;
  let patients: Resource[];
  let dir: string;
  beforeAll(async () => {
    dir = await mkdtemp(path.join(tmpdir(), 'sandbox-recording-'));
    upstream = await startMedplumUpstream();
    patients = [];
    for (const [index, family] of FAMILIES.entries()) {
      const patient = (await upstream.repo.createResource({
        resourceType: 'Patient',
        name: [{ family, given: [GIVEN[index] as string] }],
        identifier: [{ system: 'urn:test:mrn', value: MRNS[index] as string }],
        telecom: [{ system: 'phone', value: `555-01${index}9` }],
        gender: 'female',
        birthDate: '1980-02-03',
      })) as Resource;
      patients.push(patient);
      const subject = { reference: `Patient/${patient.id}`, display: `${GIVEN[index]} ${family}` };
      await upstream.repo.createResource({ resourceType: 'Observation', status: 'final', code: { text: 'Heart rate' }, subject, valueQuantity: { value: 70, unit: '/min' } });
      await upstream.repo.createResource({ resourceType: 'Condition', code: { text: 'Asthma' }, subject, note: [{ text: `${GIVEN[index]} ${family} reports wheezing` }] });
    }
  }, 60_000);
  afterAll(async () => {
    await upstream.stop();
    await rm(dir, { recursive: true, force: true });
  });

  const profileFor = (baseUrl: string) => ({ ...PROFILE, tenants: [{ ...PROFILE.tenants[0], upstream: { baseUrl } }] });

  it('replays the recorded patients\' contract calls with the same resources, with the upstream stopped', async () => {
    const recordDir = path.join(dir, 'plain');
    const calls = patients.slice(0, 2).flatMap((patient, index) => contractCalls(patient, MRNS[index] as string));
    const live = await startTestSandbox({ recordDir }, { profile: profileFor(upstream.baseUrl) });
    const served = await answers(live, calls);
    await closeUpstreams(live.sandbox.tenants);
    expect(Object.keys(served[calls[2] as string] ?? {})).toHaveLength(1);

    const files = await readdir(path.join(recordDir, TENANT), { recursive: true });
    expect(files.sort()).toEqual(expect.arrayContaining(['db.json', 'metadata.json', 'ndjson', path.join('ndjson', 'Patient.ndjson'), path.join('ndjson', 'Observation.ndjson'), path.join('ndjson', 'Condition.ndjson')]));
    expect(JSON.parse(await readFile(path.join(recordDir, TENANT, 'metadata.json'), 'utf8'))).toMatchObject({ resourceType: 'CapabilityStatement', fhirVersion: '4.0.1' });
    // Only what passed through: the third patient was never asked for.
    expect(await readFile(path.join(recordDir, TENANT, 'db.json'), 'utf8')).not.toContain(FAMILIES[2]);

    // The upstream is unreachable from here on (the profile points at a closed port): the replay answers alone.
    const replay = await startTestSandbox({ dataDir: recordDir }, { profile: profileFor('http://127.0.0.1:1/fhir') });
    const replayed = await answers(replay, calls);
    expect(replayed).toEqual(served);
    expect(replay.sandbox.tenants.get(TENANT)?.upstream).toBeUndefined();
  }, 60_000);

  it('--mask: the recording holds none of the names, identifiers or phone numbers that passed through, and still links up', async () => {
    const recordDir = path.join(dir, 'masked');
    const live = await startTestSandbox({ recordDir, mask: true }, { profile: profileFor(upstream.baseUrl) });
    await answers(live, patients.flatMap((patient, index) => contractCalls(patient, MRNS[index] as string)));
    await closeUpstreams(live.sandbox.tenants);
    const written = await readdir(recordDir, { recursive: true });
    let text = '';
    for (const file of written) if (file.endsWith('.json') || file.endsWith('.ndjson')) text += await readFile(path.join(recordDir, file), 'utf8');
    expect(text).toContain('"resourceType":"Patient"');
    for (const secret of [...FAMILIES, ...GIVEN, ...MRNS, '555-0109', '555-0119']) expect(text, secret).not.toContain(secret);

    const replay = await startTestSandbox({ dataDir: recordDir }, { profile: profileFor('http://127.0.0.1:1/fhir') });
    const bearer = `Bearer ${await replay.token(TENANT)}`;
    const observations = JSON.parse((await replay.http.get(`/fhir/r4/Observation?patient=${patients[0]?.id}`).set('Authorization', bearer)).text) as Bundle;
    expect(observations.entry).toHaveLength(1);
  }, 60_000);
});
