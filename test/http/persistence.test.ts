import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { mkdir } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { ConfigError } from '../../src/config/configError.js';
import { readDbJson } from '../../src/data/files/dbJson.js';
import { dbJsonPath, writeDbJson } from '../../src/data/files/storeFiles.js';
import type { PersistenceEvent } from '../../src/events/types.js';
import { ResourceStore } from '../../src/fhir/store/resourceStore.js';
import type { Resource } from '../../src/fhir/types.js';
import { adapterFor } from '../../src/fhir/versions/index.js';
import { ManualClock } from '../../src/lib/clock.js';
import { persistTenants } from '../../src/tenants/persistTenants.js';
import { R4_TENANT, STU3_TENANT, startTestSandbox, type TestSandbox } from '../support/testSandbox.js';

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

const fhirJson = 'application/fhir+json';

async function createPatient(test: TestSandbox, family: string): Promise<string> {
  const response = await test.http
    .post('/fhir/stu3/Patient')
    .set('Authorization', `Bearer ${await test.token()}`)
    .set('Content-Type', fhirJson)
    .send(JSON.stringify({ resourceType: 'Patient', name: [{ family, given: ['Pat'] }], gender: 'female' }));
  expect(response.status).toBe(201);
  return JSON.parse(response.text).id as string;
}

/** Polls until the probe returns a value; the write delay and retries run on real timers. */
async function eventually<T>(probe: () => Promise<T | undefined> | T | undefined, timeoutMs = 10_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error('timed out');
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

describe('--persist: deletes, ids and leftovers survive a restart', () => {
  it('answers 410 for a deleted id after a restart and never hands an id out twice', async () => {
    const dataDir = mkdtempSync(path.join(tmpdir(), 'sandbox-data-'));
    const first = await startTestSandbox({ dataDir, persist: true });
    const deletedId = await createPatient(first, 'Deleted');
    const keptId = await createPatient(first, 'Kept');
    const bearer = `Bearer ${await first.token()}`;
    expect((await first.http.delete(`/fhir/stu3/Patient/${deletedId}`).set('Authorization', bearer)).status).toBe(204);
    expect((await first.http.get(`/fhir/stu3/Patient/${deletedId}`).set('Authorization', bearer)).status).toBe(410);
    expect(await first.sandbox.persistence?.flush()).toEqual([]);

    // Still plain json-server-shaped JSON: resource types, then the one reserved key.
    const parsed = JSON.parse(readFileSync(dbJsonPath(dataDir, STU3_TENANT), 'utf8')) as Record<string, unknown>;
    expect(Object.keys(parsed).at(-1)).toBe('_sandbox');
    expect(parsed._sandbox).toMatchObject({ deleted: [{ resourceType: 'Patient', id: deletedId, versionId: '2' }] });

    const second = await startTestSandbox({ dataDir, persist: true });
    const secondBearer = `Bearer ${await second.token()}`;
    const gone = await second.http.get(`/fhir/stu3/Patient/${deletedId}`).set('Authorization', secondBearer);
    expect(gone.status).toBe(410);
    expect(JSON.parse(gone.text).resourceType).toBe('OperationOutcome');
    const again = await second.http.delete(`/fhir/stu3/Patient/${deletedId}`).set('Authorization', secondBearer);
    expect(again.status).toBe(204);
    expect(again.headers.etag).toBe('W/"2"');
    expect((await second.http.get(`/fhir/stu3/Patient/${keptId}`).set('Authorization', secondBearer)).status).toBe(200);
    const next = await createPatient(second, 'After');
    expect([deletedId, keptId]).not.toContain(next);
    // A client may bring the id back with PUT: its version continues after the delete.
    const revived = await second.http
      .put(`/fhir/stu3/Patient/${deletedId}`)
      .set('Authorization', secondBearer)
      .set('Content-Type', fhirJson)
      .send(JSON.stringify({ resourceType: 'Patient', id: deletedId, gender: 'male' }));
    expect(revived.status).toBe(201);
    expect(JSON.parse(revived.text).meta.versionId).toBe('3');
  });

  it('removes temporary files that a killed write left, and keeps those of a live process', async () => {
    const dataDir = mkdtempSync(path.join(tmpdir(), 'sandbox-data-'));
    const first = await startTestSandbox({ dataDir, persist: true });
    await first.sandbox.persistence?.flush();
    const file = dbJsonPath(dataDir, STU3_TENANT);
    const deadPid = spawnSync(process.execPath, ['-e', '']).pid as number;
    const stale = `${file}.${deadPid}.1767225600000.tmp`;
    const live = `${file}.${process.ppid}.1767225600000.tmp`;
    writeFileSync(stale, '{"Patient": [');
    writeFileSync(live, '{"Patient": [');
    await startTestSandbox({ dataDir, persist: true });
    expect(existsSync(stale)).toBe(false);
    expect(existsSync(live)).toBe(true);
  });
});

describe('--persist on a full or read-only disk', () => {
  it('retries a failing write until the disk recovers, and shows it on /healthz and as events', async () => {
    const dataDir = mkdtempSync(path.join(tmpdir(), 'sandbox-data-'));
    const test = await startTestSandbox();
    const { sandbox } = test;
    let diskFull = true;
    const attempts: string[] = [];
    const write = async (store: ResourceStore, file: string) => {
      attempts.push(file);
      if (diskFull) throw Object.assign(new Error('ENOSPC: no space left on device, write'), { code: 'ENOSPC' });
      await mkdir(path.dirname(file), { recursive: true });
      await writeDbJson(store, file);
    };
    const events: PersistenceEvent[] = [];
    sandbox.events.subscribe((event) => {
      if (event.type === 'persistence') events.push(event);
    });
    const persistence = persistTenants(sandbox.tenants, dataDir, sandbox.seeded, sandbox.events, sandbox.clock, { write, retryDelaysMs: [10, 20] });
    const id = await createPatient(test, 'Unsaved');

    const failing = await eventually(async () => {
      const health = await test.http.get('/healthz');
      return health.body.persistence === 'failing' && attempts.length >= 4 ? health : undefined;
    });
    // Still serving: a probe that restarted the process would lose the edits.
    expect(failing.status).toBe(200);
    const tenantState = (failing.body.tenants as Array<{ id: string; persistence: { unsaved: boolean; failing?: { error: string; attempts: number } } }>).find(
      (tenant) => tenant.id === STU3_TENANT,
    );
    expect(tenantState?.persistence.unsaved).toBe(true);
    expect(tenantState?.persistence.failing?.error).toContain('ENOSPC');
    // One event when the failing starts, not one per retry.
    expect(events.filter((event) => event.tenantId === STU3_TENANT && event.state === 'failing')).toHaveLength(1);
    expect(await persistence.flush()).toContainEqual(expect.objectContaining({ tenantId: STU3_TENANT, error: expect.stringContaining('ENOSPC') }));

    diskFull = false;
    await eventually(async () => ((await test.http.get('/healthz')).body.persistence === 'saved' ? true : undefined));
    expect(events.some((event) => event.tenantId === STU3_TENANT && event.state === 'recovered')).toBe(true);
    const saved = JSON.parse(readFileSync(dbJsonPath(dataDir, STU3_TENANT), 'utf8')) as Record<string, Resource[]>;
    expect(saved.Patient?.some((patient) => patient.id === id)).toBe(true);
    expect(await persistence.flush()).toEqual([]);
  });
});

describe('a corrupt or invalid db.json', () => {
  async function startFrom(content: string): Promise<{ error: unknown; file: string }> {
    const dataDir = mkdtempSync(path.join(tmpdir(), 'sandbox-data-'));
    const file = dbJsonPath(dataDir, STU3_TENANT);
    mkdirSync(path.dirname(file), { recursive: true });
    writeFileSync(file, content);
    const error = await startTestSandbox({ dataDir, persist: true }).then(
      () => undefined,
      (failure: unknown) => failure,
    );
    // Never written over, whatever went wrong.
    expect(readFileSync(file, 'utf8')).toBe(content);
    return { error, file };
  }

  it.each([
    ['an empty file', '', 1, 1, 'empty'],
    ['text that is not JSON', 'not json at all\n', 1, 1, 'unexpected character'],
    ['a truncated file', '{\n"Patient": [\n{"resourceType":"Patient","id":"a"},\n{"resourceType":"Pat', 4, 17, 'truncated'],
    ['a missing comma', '{\n"Patient": [\n{"resourceType":"Patient","id":"a"}\n{"resourceType":"Patient","id":"b"}\n]\n}\n', 4, 1, "','"],
  ])('refuses %s with a ConfigError naming file, line and column', async (_name, content, line, column, reason) => {
    const { error, file } = await startFrom(content);
    expect(error).toBeInstanceOf(ConfigError);
    expect((error as ConfigError).source).toBe(`${file}:${line}:${column}`);
    expect((error as Error).message).toContain(reason);
  });

  it('refuses a resource its FHIR version does not define, naming the file and the resource', async () => {
    const numericId = await startFrom(JSON.stringify({ Patient: [{ resourceType: 'Patient', id: 'fine' }, { resourceType: 'Patient', id: 42 }] }));
    expect(numericId.error).toBeInstanceOf(ConfigError);
    expect((numericId.error as Error).message).toContain(numericId.file);
    expect((numericId.error as Error).message).toMatch(/Patient\[1\].*\bid\b/);

    const unknownType = await startFrom(JSON.stringify({ Patient: [], Patients: [{ resourceType: 'Patients', id: 'x' }] }));
    expect(unknownType.error).toBeInstanceOf(ConfigError);
    expect((unknownType.error as Error).message).toMatch(/Patients\[0\]: "Patients" is not a resource type/);

    const depth = 20_000;
    const deep = `{"url":"http://example.org/n","extension":[`.repeat(depth) + '{"url":"http://example.org/leaf","valueString":"x"}' + ']}'.repeat(depth);
    const tooDeep = await startFrom(`{"Patient": [{"resourceType":"Patient","id":"deep","extension":[${deep}]}]}`);
    expect(tooDeep.error).toBeInstanceOf(ConfigError);
    expect((tooDeep.error as Error).message).toMatch(/Patient\[0\]: Patient\/deep is not a valid STU3 resource: Patient: nests deeper than this server validates/);
  });

  it('reads the line layout of large files the same way, and finds a cut-off one', async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'sandbox-db-'));
    const file = path.join(dir, 'db.json');
    const store = new ResourceStore(adapterFor('stu3'), new ManualClock(Date.UTC(2026, 0, 1)));
    store.upsert({ resourceType: 'Patient', id: 'a', gender: 'male' });
    store.upsert({ resourceType: 'Patient', id: 'b', gender: 'female' });
    store.remove('Patient', 'a');
    await writeDbJson(store, file);
    const lineByLine = { wholeParseLimit: 0 };
    const seen: string[] = [];
    const state = await readDbJson(file, (resource, where) => seen.push(`${resource.id}@${where}`), lineByLine);
    expect(seen).toEqual(['b@line 3']);
    expect(state).toEqual({ nextId: 1, deleted: [{ resourceType: 'Patient', id: 'a', versionId: '2', deletedAt: '2026-01-01T00:00:00.000Z' }] });
    expect(await readDbJson(file, () => undefined)).toEqual(state);

    const text = readFileSync(file, 'utf8');
    writeFileSync(file, text.slice(0, text.indexOf('"_sandbox"')));
    await expect(readDbJson(file, () => undefined, lineByLine)).rejects.toThrow(/db\.json:\d+:1: the file ends before its closing "}"/);
  });
});
