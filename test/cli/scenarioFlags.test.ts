import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { XMLParser, XMLValidator } from 'fast-xml-parser';
import { describe, expect, it } from 'vitest';
import { packageRoot } from '../../src/lib/packageRoot.js';
import { writeReportFile } from '../../src/report/writeReportFile.js';
import type { ReportCard } from '../../src/report/reportCard.js';
import { waitFor } from './cliProcess.js';

// Black-box: the built CLI as a CI job runs it (npm test builds dist/ first).
const cli = path.join(packageRoot, 'dist', 'cli.js');
const STU3_TENANT = '3f8e2a10-5b7c-4d21-9e6a-0c1b2d3e4f50';

describe('--scenario and --report', () => {
  it('refuses an unknown scenario with exit code 2, naming it', () => {
    const result = spawnSync(process.execPath, [cli, '--headless', '--scenario', 'no-such-scenario'], { encoding: 'utf8', timeout: 15_000 });
    expect(result.status).toBe(2);
    expect(result.stderr).toContain('--scenario: no scenario "no-such-scenario" (known: token-storm, bad-day, broken-paging)');
  });

  it('refuses a scenario file whose step names a tenant the profile does not have, before anything runs', () => {
    const file = path.join(mkdtempSync(path.join(tmpdir(), 'sandbox-scenario-')), 'outage.json');
    writeFileSync(file, JSON.stringify({ name: 'outage', steps: [{ at: '5s', apply: 'preset', preset: 'tenant-outage', tenantId: '00000000-0000-4000-8000-000000000000' }] }));
    const result = spawnSync(process.execPath, [cli, '--headless', '--scenario', file], { encoding: 'utf8', timeout: 15_000 });
    expect(result.status).toBe(2);
    expect(result.stderr).toContain('--scenario: steps[0].tenantId: no tenant "00000000-0000-4000-8000-000000000000" in this sandbox');
  });

  it('starts the scenario once seeded, grades the traffic, and writes JUnit XML at exit', async () => {
    const folder = mkdtempSync(path.join(tmpdir(), 'sandbox-report-'));
    const reportFile = path.join(folder, 'report.xml');
    const child = spawn(process.execPath, [cli, '--headless', '--port', '0', '--scenario', 'bad-day', '--report', reportFile], { stdio: ['ignore', 'ignore', 'pipe'] });
    let stderr = '';
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
    try {
      const origin = await waitFor(() => /Token URL\s+(http:\/\/[^/\s]+)\/oauth2\/token/.exec(stderr)?.[1], 30_000);
      const current = await waitFor(async () => {
        const response = await fetch(`${origin}/admin/scenarios/current`);
        return response.status === 200 ? ((await response.json()) as { name: string; state: string }) : undefined;
      }, 30_000);
      expect(current).toMatchObject({ name: 'bad-day', state: 'running' });
      const token = await fetch(`${origin}/oauth2/token`, {
        method: 'POST',
        body: new URLSearchParams({ grant_type: 'client_credentials', client_id: 'demo-client', client_secret: 'demo-secret-change-me', scope: STU3_TENANT }),
      });
      const { access_token: accessToken } = (await token.json()) as { access_token: string };
      await fetch(`${origin}/fhir/stu3/Patient/ruth-black`, { headers: { Authorization: `Bearer ${accessToken}`, Accept: 'application/fhir+json' } });
      const report = (await (await fetch(`${origin}/admin/report`)).json()) as ReportCard;
      expect(report.scenario).toEqual({ name: 'bad-day', state: 'running' });
      expect(report.clients.map((client) => client.clientId)).toEqual(['demo-client']);
      child.kill('SIGTERM');
      expect(await exited).toBe(0);
      const xml = readFileSync(reportFile, 'utf8');
      expect(XMLValidator.validate(xml)).toBe(true);
      const parsed = new XMLParser({ ignoreAttributes: false, attributeNamePrefix: '' }).parse(xml) as { testsuites: { tests: string; testsuite: { name: string } } };
      expect(parsed.testsuites.tests).toBe('9');
      expect(parsed.testsuites.testsuite.name).toBe('patients-sandbox report card: demo-client');
    } finally {
      child.kill('SIGKILL');
    }
  });

  it('writes the JSON of GET /admin/report for any other file name', async () => {
    const file = path.join(mkdtempSync(path.join(tmpdir(), 'sandbox-report-')), 'report.json');
    const report: ReportCard = { since: 'a', generatedAt: 'b', scenario: null, required: [], passed: true, failures: [], clients: [], droppedRequests: 0 };
    await writeReportFile(file, report);
    expect(existsSync(file)).toBe(true);
    expect(JSON.parse(readFileSync(file, 'utf8'))).toEqual(report);
  });
});
