import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli } from '../../src/cli/runCli.js';
import type { Resource } from '../../src/fhir/types.js';
import { startMedplumUpstream, type MedplumUpstream } from '../support/medplumUpstream.js';
import { DEMO_CLIENT, startTestSandbox } from '../support/testSandbox.js';

const TENANT = '4fa05b6c-7d8e-4f90-a1b2-c3d4e5f6a7b8';

interface Bundle extends Resource {
  entry?: Array<{ resource?: Resource }>;
}

describe('patients-sandbox record <upstream-base>', () => {
  let upstream: MedplumUpstream;
  let dir: string;
  const ids: string[] = [];
  beforeAll(async () => {
    dir = await mkdtemp(path.join(tmpdir(), 'sandbox-record-command-'));
    upstream = await startMedplumUpstream({ auth: { kind: 'header', authorization: 'Bearer record-me' } });
    for (const family of ['Pulled', 'AlsoPulled', 'LeftBehind']) {
      const patient = (await upstream.repo.createResource({ resourceType: 'Patient', name: [{ family }] })) as Resource;
      ids.push(patient.id as string);
      const subject = { reference: `Patient/${patient.id}` };
      await upstream.repo.createResource({ resourceType: 'Condition', code: { text: `${family}itis` }, subject });
      await upstream.repo.createResource({ resourceType: 'Coverage', status: 'active', beneficiary: subject, payor: [{ display: 'Acme' }] });
    }
  }, 60_000);
  afterAll(async () => {
    await upstream.stop();
    await rm(dir, { recursive: true, force: true });
  });

  it('pulls the given patients and what the contract\'s searches return for them, with the given credentials; the folder replays offline', async () => {
    const out = path.join(dir, 'pulled');
    const auth = JSON.stringify({ type: 'bearer', token: 'record-me' });
    const code = await runCli(['node', 'patients-sandbox', 'record', upstream.baseUrl, '--auth', auth, '--patients', `${ids[0]},${ids[1]}`, '--out', out, '--tenant', TENANT, '--fhir-version', 'r4'], {});
    expect(code).toBe(0);
    const sent = upstream.received.map((request) => request.url);
    expect(sent).toContain(`/Patient/${ids[0]}`);
    expect(sent).toContain(`/Condition?patient=${ids[1]}&_count=20`);
    expect(sent.some((url) => url.startsWith('/Observation?') && url.includes('category=vital-signs'))).toBe(true);
    expect(upstream.received.every((request) => request.url === '/metadata' || request.headers.authorization === 'Bearer record-me')).toBe(true);
    const db = await readFile(path.join(out, TENANT, 'db.json'), 'utf8');
    expect(db).toContain('AlsoPulleditis');
    expect(db).not.toContain('LeftBehind');

    await upstream.stop();
    const replay = await startTestSandbox({ dataDir: out }, {
      profile: {
        tenants: [{ id: TENANT, name: 'Replayed', hospital: 'Recorded Medplum (R4)', fhirVersion: 'r4', upstream: { baseUrl: upstream.baseUrl } }],
        clients: [{ id: DEMO_CLIENT.id, secret: DEMO_CLIENT.secret, tenants: '*' }],
      },
    });
    const bearer = `Bearer ${await replay.token(TENANT)}`;
    const read = await replay.http.get(`/fhir/r4/Patient/${ids[0]}`).set('Authorization', bearer);
    expect(read.status).toBe(200);
    expect(JSON.parse(read.text)).toMatchObject({ resourceType: 'Patient', id: ids[0], name: [{ family: 'Pulled' }] });
    const coverage = JSON.parse((await replay.http.get(`/fhir/r4/Coverage?patient=${ids[1]}`).set('Authorization', bearer)).text) as Bundle;
    expect(coverage.entry?.map((entry) => entry.resource?.resourceType)).toEqual(['Coverage']);
  }, 60_000);

  it('refuses a server of another FHIR version with exit 2, recording nothing', async () => {
    const other = await startMedplumUpstream();
    try {
      const out = path.join(dir, 'refused');
      const code = await runCli(['node', 'patients-sandbox', 'record', other.baseUrl, '--patients', 'x', '--out', out, '--tenant', TENANT, '--fhir-version', 'stu3'], {});
      expect(code).toBe(2);
      await expect(readFile(path.join(out, TENANT, 'db.json'), 'utf8')).rejects.toThrow(/ENOENT/);
    } finally {
      await other.stop();
    }
  }, 60_000);
});
