import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { CliProcess, runCliSync as run, waitFor } from './cliProcess.js';

// Generating the whole default profile (four tenants, about 800 patients) takes seconds on a busy machine.
const SEED_TIMEOUT_MS = 45_000;

describe('patients-sandbox CLI', () => {
  it('prints help and version with exit code 0', () => {
    const help = run(['--help']);
    expect(help.status).toBe(0);
    for (const flag of ['--profile', '--port', '--host', '--seed', '--headless', '--version']) expect(help.stdout).toContain(flag);
    const version = run(['--version']);
    expect(version.status).toBe(0);
    expect(version.stdout.trim()).toMatch(/^\d+\.\d+\.\d+/);
  });

  it('exits 2 on an unknown flag, naming it', () => {
    const result = run(['--frobnicate']);
    expect(result.status).toBe(2);
    expect(result.stderr).toContain('--frobnicate');
  });

  it('exits 2 on a bad port, naming the source', () => {
    expect(run(['--port', 'eighty']).status).toBe(2);
    const fromEnv = run(['--headless'], { PORT: '99999' });
    expect(fromEnv.status).toBe(2);
    expect(fromEnv.stderr).toContain('PORT');
  });

  it('exits 2 on a bad profile, naming file and field', () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'sandbox-profile-'));
    const file = path.join(dir, 'broken.json');
    writeFileSync(file, JSON.stringify({ name: 'broken', tenants: [{ id: 'nope' }], clients: [] }));
    const result = run(['--profile', file]);
    expect(result.status).toBe(2);
    expect(result.stderr).toContain(file);
    expect(result.stderr).toContain('tenants[0].id');
    expect(run(['--profile', 'no-such-profile']).status).toBe(2);
  });

  // Two seed runs of up to SEED_TIMEOUT_MS each and a short one: the test's budget must cover them on a busy machine.
  it('seed --out writes db.json and NDJSON per tenant, identical for the same seed', { timeout: 2 * SEED_TIMEOUT_MS + 15_000 }, () => {
    const first = mkdtempSync(path.join(tmpdir(), 'sandbox-seed-'));
    const second = mkdtempSync(path.join(tmpdir(), 'sandbox-seed-'));
    expect(run(['seed', '--out', first], {}, undefined, SEED_TIMEOUT_MS).status).toBe(0);
    expect(run(['seed', '--out', second], {}, undefined, SEED_TIMEOUT_MS).status).toBe(0);
    const tenant = '3f8e2a10-5b7c-4d21-9e6a-0c1b2d3e4f50';
    const db = readFileSync(path.join(first, tenant, 'db.json'), 'utf8');
    expect(JSON.parse(db).Patient.some((patient: { id: string }) => patient.id === 'ruth-black')).toBe(true);
    expect(readFileSync(path.join(second, tenant, 'db.json'), 'utf8')).toBe(db);
    const ndjson = readFileSync(path.join(first, tenant, 'ndjson', 'Patient.ndjson'), 'utf8').trim().split('\n');
    expect(JSON.parse(ndjson[0] as string).resourceType).toBe('Patient');
    // The R4 tenant is exported in R4's shapes, the spec's example patient included.
    const r4 = JSON.parse(readFileSync(path.join(first, 'e8f9a0b1-c2d3-4e4f-8a5b-6c7d8e9f0a80', 'db.json'), 'utf8'));
    const ruth = r4.Patient.find((patient: { id: string }) => patient.id === 'ruth-black');
    expect(ruth.meta.profile).toEqual(['http://hl7.org/fhir/us/core/StructureDefinition/us-core-patient']);
    expect(r4.Condition[0].clinicalStatus.coding[0].system).toBe('http://terminology.hl7.org/CodeSystem/condition-clinical');
    expect(run(['--persist']).status).toBe(2);
  });

  it('prints the profile JSON Schema', () => {
    const result = run(['profile-schema']);
    expect(result.status).toBe(0);
    expect(JSON.parse(result.stdout).title).toBe('patients-sandbox profile');
  });

  it('serves headless with one JSON line per request, and exits 0 on SIGTERM', async () => {
    const cli = new CliProcess(['--headless', '--port', '0']);
    try {
      const origin = await waitFor(() => /Token URL\s+(http:\/\/[^/\s]+)\/oauth2\/token/.exec(cli.stderr)?.[1]);
      expect(cli.stderr).toContain('demo-client');
      expect(cli.stderr).toContain('3f8e2a10-5b7c-4d21-9e6a-0c1b2d3e4f50');
      await waitFor(async () => ((await fetch(`${origin}/healthz`)).status === 200 ? true : undefined));
      const metadata = await fetch(`${origin}/fhir/stu3/metadata`);
      expect(metadata.status).toBe(200);
      const line = await waitFor(() => cli.jsonLines().find((entry) => entry.path === '/fhir/stu3/metadata'));
      expect(line).toMatchObject({ event: 'request', method: 'GET', status: 200, route: '/fhir/:version/metadata' });
      expect(await cli.stop()).toBe(0);
    } finally {
      cli.kill();
    }
  });
});
