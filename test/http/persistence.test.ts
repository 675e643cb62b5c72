import { existsSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { readDbJson } from '../../src/data/files/dbJson.js';
import { dbJsonPath } from '../../src/data/files/storeFiles.js';
import type { Resource } from '../../src/fhir/types.js';
import { R4_TENANT, STU3_TENANT, startTestSandbox } from '../support/testSandbox.js';

const records = `/admin/tenants/${STU3_TENANT}/records`;

describe('--data and --persist', () => {
  it('writes every tenant at start, keeps edits across a restart, and starts from the files', async () => {
    const dataDir = mkdtempSync(path.join(tmpdir(), 'sandbox-data-'));
    const first = await startTestSandbox({ dataDir, persist: true });
    await first.sandbox.persistence?.flush();
    const file = dbJsonPath(dataDir, STU3_TENANT);
    expect(existsSync(file)).toBe(true);

    const patched = await first.http.patch(`${records}/Patient/ruth-black`).send({ birthDate: '1950-01-02' });
    expect(patched.status).toBe(200);
    const bearer = `Bearer ${await first.token()}`;
    const created = await first.http
      .post('/fhir/stu3/Patient')
      .set('Authorization', bearer)
      .set('Content-Type', 'application/fhir+json')
      .send(JSON.stringify({ resourceType: 'Patient', name: [{ family: 'Persisted', given: ['Pat'] }], gender: 'female' }));
    expect(created.status).toBe(201);
    await first.sandbox.persistence?.flush();
    expect(readdirSync(path.dirname(file)).filter((name) => name.endsWith('.tmp'))).toEqual([]);

    const second = await startTestSandbox({ dataDir, persist: true });
    const secondBearer = `Bearer ${await second.token()}`;
    const ruth = JSON.parse((await second.http.get('/fhir/stu3/Patient/ruth-black').set('Authorization', secondBearer)).text);
    expect(ruth.birthDate).toBe('1950-01-02');
    expect(ruth.meta.versionId).toBe('2');
    const search = JSON.parse((await second.http.get('/fhir/stu3/Patient?family=persisted').set('Authorization', secondBearer)).text);
    expect(search.total).toBe(1);
  });

  it('does the same for an R4 tenant: an R4 write survives a restart and still reads as R4', async () => {
    const dataDir = mkdtempSync(path.join(tmpdir(), 'sandbox-data-'));
    const first = await startTestSandbox({ dataDir, persist: true });
    const bearer = `Bearer ${await first.token(R4_TENANT)}`;
    const resolved = { coding: [{ system: 'http://terminology.hl7.org/CodeSystem/allergyintolerance-clinical', code: 'resolved' }] };
    const allergy = { resourceType: 'AllergyIntolerance', clinicalStatus: resolved, code: { text: 'Cats' }, patient: { reference: 'Patient/ruth-black' } };
    const created = await first.http.post('/fhir/r4/AllergyIntolerance').set('Authorization', bearer).set('Content-Type', 'application/fhir+json').send(JSON.stringify(allergy));
    expect(created.status).toBe(201);
    await first.sandbox.persistence?.flush();
    expect(existsSync(dbJsonPath(dataDir, R4_TENANT))).toBe(true);

    const second = await startTestSandbox({ dataDir, persist: true });
    const found = await second.http.get('/fhir/r4/AllergyIntolerance?patient=ruth-black&clinical-status=resolved').set('Authorization', `Bearer ${await second.token(R4_TENANT)}`);
    expect(JSON.parse(found.text).entry.map((entry: { resource: Resource }) => entry.resource.id)).toContain(JSON.parse(created.text).id);
  });

  it('writes plain JSON in the db.json shape that json-server and jq read', async () => {
    const dataDir = mkdtempSync(path.join(tmpdir(), 'sandbox-data-'));
    const { sandbox } = await startTestSandbox({ dataDir, persist: true });
    await sandbox.persistence?.flush();
    const parsed = JSON.parse(readFileSync(dbJsonPath(dataDir, STU3_TENANT), 'utf8')) as Record<string, Resource[]>;
    expect(parsed.Patient?.some((patient) => patient.id === 'ruth-black')).toBe(true);
    expect(Object.keys(parsed)).toContain('Observation');
  });

  it('reads a hand-written db.json, and names the file of a broken one', async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'sandbox-db-'));
    const good = path.join(dir, 'good.json');
    writeFileSync(good, JSON.stringify({ Patient: [{ resourceType: 'Patient', id: 'a' }], Observation: [] }, null, 2));
    const seen: Resource[] = [];
    await readDbJson(good, (resource) => seen.push(resource));
    expect(seen.map((resource) => resource.id)).toEqual(['a']);
    const bad = path.join(dir, 'bad.json');
    writeFileSync(bad, JSON.stringify({ Patient: [{ resourceType: 'Observation', id: 'x' }] }));
    await expect(readDbJson(bad, () => undefined)).rejects.toThrow(/bad\.json: Patient\[0\]/);
  });
});
