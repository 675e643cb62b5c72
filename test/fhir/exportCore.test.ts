import { describe, expect, it } from 'vitest';
import { generateTenantData } from '../../src/data/generateTenantData.js';
import { FhirError } from '../../src/fhir/errors.js';
import { ExportJobs } from '../../src/fhir/export/exportJobs.js';
import { parseKickoff, type ExportKickoff, type KickoffInput } from '../../src/fhir/export/exportKickoff.js';
import { jsonLine, ndjsonByteLength, ndjsonChunks } from '../../src/fhir/export/ndjsonChunks.js';
import { ResourceStore } from '../../src/fhir/store/resourceStore.js';
import { adapterFor } from '../../src/fhir/versions/index.js';
import { ManualClock } from '../../src/lib/clock.js';

const stu3 = adapterFor('stu3');
const readsAll = () => true;
const input = (overrides: Partial<KickoffInput> = {}): KickoffInput => ({
  level: { kind: 'system' },
  params: [],
  prefer: 'respond-async',
  requestUrl: 'http://sandbox.test/fhir/stu3/$export',
  ...overrides,
});

function refusal(run: () => unknown): FhirError {
  try {
    run();
  } catch (error) {
    if (error instanceof FhirError) return error;
    throw error;
  }
  throw new Error('no FhirError was thrown');
}

describe('ndjsonChunks', () => {
  const lines = ['{"a":1}', '{"b":"xyz"}', '{"c":[1,2,3]}'].map((text) => jsonLine(JSON.parse(text)));

  it('writes each line and a newline, packing lines into chunks no larger than asked', () => {
    const chunks = [...ndjsonChunks(lines, 20)];
    expect(Buffer.concat(chunks).toString()).toBe('{"a":1}\n{"b":"xyz"}\n{"c":[1,2,3]}\n');
    expect(chunks.map((chunk) => chunk.length)).toEqual([20, 14]);
    expect(ndjsonByteLength(lines)).toBe(34);
  });

  it('sends a line longer than a chunk as its own bytes, without copying it', () => {
    const long = jsonLine({ text: 'x'.repeat(100) });
    const chunks = [...ndjsonChunks([lines[0] as never, long, lines[1] as never], 32)];
    expect(Buffer.concat(chunks).toString()).toBe(`{"a":1}\n${long.json.toString()}\n{"b":"xyz"}\n`);
    expect(chunks[1]).toBe(long.json);
  });

  it('is lazy: nothing is built before it is pulled', () => {
    const generator = ndjsonChunks(lines, 8);
    expect(generator.next().value?.toString()).toBe('{"a":1}\n');
  });

  it('writes nothing for no lines', () => {
    expect([...ndjsonChunks([])]).toEqual([]);
  });
});

describe('parseKickoff', () => {
  it('needs Prefer: respond-async, among other preferences', () => {
    expect(refusal(() => parseKickoff(input({ prefer: undefined }), stu3, readsAll)).status).toBe(400);
    expect(refusal(() => parseKickoff(input({ prefer: 'return=minimal' }), stu3, readsAll)).issues[0]?.expression).toBe('Prefer');
    expect(parseKickoff(input({ prefer: 'handling=strict, respond-async' }), stu3, readsAll).types).toEqual(stu3.resourceTypes);
  });

  it('keeps the adapter order, takes comma lists and repeats, and reads _since as an instant', () => {
    const kickoff = parseKickoff(input({ params: [['_type', 'Practitioner, Patient'], ['_type', 'Group'], ['_since', '2026-01-10T08:00:00+01:00']] }), stu3, readsAll);
    expect(kickoff.types).toEqual(['Patient', 'Group', 'Practitioner']);
    expect(kickoff.since).toBe(Date.UTC(2026, 0, 10, 7));
  });

  it('limits Patient and Group exports to the Patient compartment', () => {
    const kickoff = parseKickoff(input({ level: { kind: 'group', groupId: 'g' } }), stu3, readsAll);
    expect(kickoff.types).toEqual(['Patient', 'Observation', 'Condition', 'Encounter', 'AllergyIntolerance', 'MedicationRequest', 'MedicationStatement', 'Coverage']);
    expect(parseKickoff(input({ level: { kind: 'patient' } }), adapterFor('dstu2'), readsAll).types).toContain('MedicationOrder');
  });

  it('asks the read predicate: unreadable types are left out, or refused (403) when named', () => {
    const mayRead = (type: string) => type !== 'Observation';
    expect(parseKickoff(input(), stu3, mayRead).types).not.toContain('Observation');
    expect(refusal(() => parseKickoff(input({ params: [['_type', 'Observation']] }), stu3, mayRead)).status).toBe(403);
  });

  it('refuses what it does not support, or ignores it and says so when lenient', () => {
    const unsupported: Array<[string, string]> = [['_typeFilter', 'Patient?x=y'], ['_outputFormat', 'text/csv'], ['_type', 'Medication']];
    for (const param of unsupported) expect(refusal(() => parseKickoff(input({ params: [param] }), stu3, readsAll)).code, param[0]).toBe('not-supported');
    const lenient: ExportKickoff = parseKickoff(input({ params: unsupported, prefer: 'respond-async; wait=10, handling=lenient' }), stu3, readsAll);
    expect(lenient.ignored.map((issue) => issue.expression)).toEqual(['_typeFilter', '_outputFormat', '_type']);
    // It asked for Medication only: ignoring that leaves nothing to export, not everything.
    expect(lenient.types).toEqual([]);
  });

  it('refuses a _since without a time zone or seconds', () => {
    for (const since of ['2026-01-01', '2026-01-01T10:00Z', '2026-01-01T10:00:00', 'yesterday']) {
      expect(refusal(() => parseKickoff(input({ params: [['_since', since]] }), stu3, readsAll)).issues[0]?.expression, since).toBe('_since');
    }
  });
});

describe('ExportJobs', () => {
  const clock = new ManualClock(Date.UTC(2026, 0, 15));
  const store = new ResourceStore(stu3, clock);
  const data = generateTenantData({ seed: 3, tenantId: 't', providerName: 'Core General', fhirVersion: 'stu3', patientCount: 6 });
  for (const resources of Object.values(data)) for (const resource of resources) store.add(resource);
  const owner = { tenantId: 't', clientId: 'c' };
  const everything = parseKickoff(input(), stu3, readsAll);

  it('walks the snapshot in slices, yielding between them, and reports its progress', async () => {
    const gates: Array<() => void> = [];
    const jobs = new ExportJobs(clock, { recordsPerSlice: 25, yieldToLoop: () => new Promise<void>((resolve) => gates.push(resolve)) });
    const job = jobs.start(everything, { adapter: stu3, store }, owner);
    const total = store.types().reduce((sum, type) => sum + store.count(type), 0);
    expect(job.progress).toEqual({ done: 0, total: 0, type: undefined });
    let slices = 0;
    while (job.state === 'in-progress') {
      expect(gates.length, 'one slice at a time').toBe(1);
      gates.shift()?.();
      await new Promise((resolve) => setImmediate(resolve));
      slices++;
    }
    expect(job.state).toBe('complete');
    expect(slices).toBeGreaterThan(total / 25);
    expect(job.output.reduce((sum, file) => sum + file.lines.length, 0)).toBe(total);
    expect(jobs.expiresAt(job)).toBe(clock.now() + 3_600_000);
  });

  it('stops a cancelled job at its next slice and forgets it', async () => {
    const gates: Array<() => void> = [];
    const jobs = new ExportJobs(clock, { yieldToLoop: () => new Promise<void>((resolve) => gates.push(resolve)) });
    const job = jobs.start(everything, { adapter: stu3, store }, owner);
    jobs.delete(job.id, owner);
    expect(jobs.size).toBe(0);
    gates.shift()?.();
    await new Promise((resolve) => setImmediate(resolve));
    expect(gates).toHaveLength(0);
    expect(job.output).toEqual([]);
  });

  it('tells another tenant nothing (404) and refuses another client (403)', () => {
    const jobs = new ExportJobs(clock);
    const job = jobs.start(everything, { adapter: stu3, store }, owner);
    expect(refusal(() => jobs.get(job.id, { tenantId: 'other', clientId: 'c' })).status).toBe(404);
    expect(refusal(() => jobs.get(job.id, { tenantId: 't', clientId: 'other' })).status).toBe(403);
    expect(jobs.get(job.id, owner)).toBe(job);
  });
});
