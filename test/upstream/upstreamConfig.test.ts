import { existsSync } from 'node:fs';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import supertest from 'supertest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { seedCommand } from '../../src/cli/seedCommand.js';
import { ConfigError } from '../../src/config/configError.js';
import { resolveConfig } from '../../src/config/sandboxConfig.js';
import { ManualClock } from '../../src/lib/clock.js';
import { createSandbox } from '../../src/sandbox.js';
import { closeUpstreams } from '../../src/tenants/upstreamTenants.js';
import { startMedplumUpstream } from '../support/medplumUpstream.js';
import { DEMO_CLIENT, STU3_TENANT, testConfig, testProfile } from '../support/testSandbox.js';

const TENANT = '5ab16c7d-8e9f-4a0b-b1c2-d3e4f5a6b7c8';
const tenantWith = (fields: Record<string, unknown>) => ({
  tenants: [{ id: TENANT, name: 'U', hospital: 'U (R4)', fhirVersion: 'r4', ...fields }],
  clients: [{ id: DEMO_CLIENT.id, secret: DEMO_CLIENT.secret, tenants: '*' }],
});

describe('upstream tenants in profiles and flags', () => {
  let dir: string;
  beforeAll(async () => {
    dir = await mkdtemp(path.join(tmpdir(), 'sandbox-upstream-config-'));
  });
  afterAll(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it('a tenant gives either patients or an upstream, never both, and no fixtures with an upstream', () => {
    expect(() => testProfile(tenantWith({}))).toThrow(/tenants\[0\]\.patients: is required.*or give "upstream"/s);
    expect(() => testProfile(tenantWith({ patients: 3, upstream: { baseUrl: 'http://127.0.0.1:1/fhir' } }))).toThrow(/remove "patients"/);
    expect(() => testProfile(tenantWith({ fixtures: ['patients'], upstream: { baseUrl: 'http://127.0.0.1:1/fhir' } }))).toThrow(/remove "fixtures"/);
    expect(() => testProfile(tenantWith({ upstream: { baseUrl: 'ftp://example.test/fhir' } }))).toThrow(/http\(s\) URL/);
    expect(() => testProfile(tenantWith({ upstream: { baseUrl: 'http://127.0.0.1:1/fhir', auth: { type: 'bearer' } } }))).toThrow(/token/);
    const parsed = testProfile(tenantWith({ upstream: { baseUrl: 'http://127.0.0.1:1/fhir/' } }));
    expect(parsed.tenants[0]?.upstream).toEqual({ baseUrl: 'http://127.0.0.1:1/fhir', auth: { type: 'none' }, timeoutMs: 30_000 });
  });

  it('--record DIR and --mask (or their environment variables) reach the configuration; a file is refused', async () => {
    const flagged = resolveConfig({ record: path.join(dir, 'rec'), mask: true }, {});
    expect(flagged).toMatchObject({ recordDir: path.join(dir, 'rec'), mask: true });
    const fromEnv = resolveConfig({}, { PATIENTS_SANDBOX_RECORD: path.join(dir, 'env'), PATIENTS_SANDBOX_MASK: 'true' });
    expect(fromEnv).toMatchObject({ recordDir: path.join(dir, 'env'), mask: true });
    expect(resolveConfig({}, {})).toMatchObject({ mask: false });
    const file = path.join(dir, 'a-file');
    await writeFile(file, 'x');
    expect(() => resolveConfig({ record: file }, {})).toThrow(ConfigError);
  });

  it('an upstream that is down at start: the tenant answers 503 with Retry-After until its upstream comes up, then serves', async () => {
    const probe = await startMedplumUpstream();
    const port = Number(new URL(probe.baseUrl).port);
    await probe.stop();
    const profile = tenantWith({ upstream: { baseUrl: `http://127.0.0.1:${port}/fhir`, timeoutMs: 1000 } });
    const sandbox = await createSandbox(testConfig({}, profile), { clock: new ManualClock(Date.UTC(2026, 0, 15, 9)) });
    const http = supertest(sandbox.app.callback());
    const token = (await http.post('/oauth2/token').type('form').send({ grant_type: 'client_credentials', client_id: DEMO_CLIENT.id, client_secret: DEMO_CLIENT.secret, scope: TENANT })).body as { access_token: string };
    const bearer = `Bearer ${token.access_token}`;
    const waiting = await http.get('/fhir/r4/Patient?_count=1').set('Authorization', bearer);
    expect(waiting.status).toBe(503);
    expect(waiting.headers['retry-after']).toBe('1');
    expect(JSON.parse(waiting.text)).toMatchObject({ resourceType: 'OperationOutcome', issue: [{ code: 'transient', diagnostics: expect.stringContaining('still being seeded') }] });

    const upstream = await startMedplumUpstream({}, port);
    try {
      await sandbox.seeded;
      const served = await http.get('/fhir/r4/Patient?_count=1').set('Authorization', bearer);
      expect(served.status).toBe(200);
      expect(JSON.parse(served.text)).toMatchObject({ resourceType: 'Bundle', type: 'searchset', total: 0 });
    } finally {
      await closeUpstreams(sandbox.tenants);
      await upstream.stop();
    }
  }, 60_000);

  it('seed --out skips upstream tenants without asking them anything; --persist writes no file for a tenant its upstream serves', async () => {
    const generated = { id: STU3_TENANT, name: 'G', hospital: 'G (STU3)', fhirVersion: 'stu3', patients: 2 };
    const profile = { ...tenantWith({ upstream: { baseUrl: 'http://127.0.0.1:1/fhir' } }), tenants: [generated, ...tenantWith({ upstream: { baseUrl: 'http://127.0.0.1:1/fhir' } }).tenants] };
    const out = path.join(dir, 'seeded');
    const lines: string[] = [];
    await seedCommand(testConfig({}, profile), out, (line) => lines.push(line));
    expect(existsSync(path.join(out, STU3_TENANT, 'db.json'))).toBe(true);
    expect(existsSync(path.join(out, TENANT))).toBe(false);
    expect(lines.join('\n')).toContain(`skipped tenant ${TENANT}`);

    const upstream = await startMedplumUpstream();
    const dataDir = path.join(dir, 'persisted');
    const served = { ...profile, tenants: [generated, ...tenantWith({ upstream: { baseUrl: upstream.baseUrl } }).tenants] };
    const sandbox = await createSandbox(testConfig({ dataDir, persist: true }, served), { clock: new ManualClock(Date.UTC(2026, 0, 15, 9)), waitUntilSeeded: true });
    try {
      await sandbox.persistence?.flush();
      expect(existsSync(path.join(dataDir, STU3_TENANT, 'db.json'))).toBe(true);
      expect(existsSync(path.join(dataDir, TENANT))).toBe(false);
    } finally {
      await closeUpstreams(sandbox.tenants);
      await upstream.stop();
    }
  }, 60_000);
});
