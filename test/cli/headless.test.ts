import { describe, expect, it } from 'vitest';
import { CliProcess, SMALL_DSTU2_TENANT, SMALL_STU3_TENANT, tempDir, waitFor, writeSmallProfile } from './cliProcess.js';

interface ListeningLine {
  event: 'listening';
  port: number;
  urls: { base: string; token: string; admin: string; health: string; fhir: Record<string, string> };
  tenants: Array<{ id: string; fhirVersion: string; patients: number }>;
  clients: Array<{ id: string; secret: string }>;
}

describe('headless mode, as a script sees it', () => {
  it('prints one JSON "listening" line with the bound port and the URLs, usable with --port 0', async () => {
    const profile = writeSmallProfile(tempDir('headless'));
    const cli = new CliProcess(['--headless', '--port', '0', '--profile', profile]);
    try {
      const listening = (await waitFor(() => cli.jsonLines().find((line) => line.event === 'listening'))) as unknown as ListeningLine;
      expect(cli.jsonLines().filter((line) => line.event === 'listening')).toHaveLength(1);
      expect(listening.port).toBeGreaterThan(0);
      expect(listening.urls.base).toBe(`http://127.0.0.1:${listening.port}`);
      expect(listening.urls).toMatchObject({
        token: `${listening.urls.base}/oauth2/token`,
        admin: `${listening.urls.base}/admin`,
        health: `${listening.urls.base}/healthz`,
        fhir: { dstu2: `${listening.urls.base}/fhir/dstu2`, stu3: `${listening.urls.base}/fhir/stu3` },
      });
      expect(listening.clients).toEqual([{ id: 'small-client', secret: 'small-secret-1' }]);
      expect(listening.tenants.map((tenant) => tenant.id)).toEqual([SMALL_STU3_TENANT, SMALL_DSTU2_TENANT]);

      await waitFor(async () => ((await fetch(listening.urls.health)).status === 200 ? true : undefined));
      const token = await fetch(listening.urls.token, {
        method: 'POST',
        body: new URLSearchParams({ grant_type: 'client_credentials', client_id: 'small-client', client_secret: 'small-secret-1', scope: SMALL_STU3_TENANT }),
      });
      expect(token.status).toBe(200);
      const metadata = await fetch(`${listening.urls.fhir.stu3}/metadata`);
      expect(metadata.headers.get('content-type')).toMatch(/^application\/(fhir\+json|json\+fhir)/);
      expect(((await metadata.json()) as { resourceType: string }).resourceType).toBe('CapabilityStatement');
      expect(await cli.stop()).toBe(0);
    } finally {
      cli.kill();
    }
  });

  it('the banner, the listening line and /admin/tenants report the same patient counts (fixtures included)', async () => {
    const cli = new CliProcess(['--headless', '--port', '0']);
    try {
      const listening = (await waitFor(() => cli.jsonLines().find((line) => line.event === 'listening'))) as unknown as ListeningLine;
      await waitFor(async () => ((await fetch(listening.urls.health)).status === 200 ? true : undefined));
      const admin = (await (await fetch(`${listening.urls.admin}/tenants`)).json()) as Array<{ id: string; patientCount: number }>;
      for (const tenant of admin) {
        const bannerLine = cli.stderr.split('\n').find((line) => line.includes(tenant.id));
        expect(bannerLine).toMatch(new RegExp(`\\s${tenant.patientCount} patients`));
        expect(listening.tenants.find((entry) => entry.id === tenant.id)?.patients).toBe(tenant.patientCount);
      }
      // The default profile asks for 250 generated patients on Northside; the spec's two STU3 fixtures come on top.
      expect(admin.find((tenant) => tenant.id === SMALL_STU3_TENANT)?.patientCount).toBe(252);
      expect(await cli.stop()).toBe(0);
    } finally {
      cli.kill();
    }
  });

  it('readiness probes answered 503 while seeding are logged at info, not error', async () => {
    const profile = writeSmallProfile(tempDir('headless'), {
      tenants: [{ id: SMALL_STU3_TENANT, name: 'North', hospital: 'North (STU3)', fhirVersion: 'stu3', patients: 5000 }],
    });
    const cli = new CliProcess(['--headless', '--port', '0', '--profile', profile]);
    try {
      const listening = (await waitFor(() => cli.jsonLines().find((line) => line.event === 'listening'))) as unknown as ListeningLine;
      let sawStarting = false;
      await waitFor(async () => {
        const status = (await fetch(listening.urls.health)).status;
        sawStarting ||= status === 503;
        return status === 200 ? true : undefined;
      }, 60_000);
      const healthLines = await waitFor(() => {
        const lines = cli.jsonLines().filter((line) => line.event === 'request' && line.route === '/healthz');
        return lines.some((line) => line.status === 200) ? lines : undefined;
      });
      expect(sawStarting).toBe(true);
      expect(healthLines.some((line) => line.status === 503)).toBe(true);
      for (const line of healthLines) expect(line.level).toBe(30);

      // Seeding progress: at most one line per tenant per second, plus the final "tenant ready".
      const progress = cli.jsonLines().filter((line) => line.event === 'seed-progress' && line.tenantId === SMALL_STU3_TENANT);
      const times = progress.filter((line) => line.done !== line.total).map((line) => Date.parse(line.time as string));
      // The log's own timestamps are taken a moment after the event's; allow them a few milliseconds.
      times.forEach((time, index) => index > 0 && expect(time - (times[index - 1] as number)).toBeGreaterThanOrEqual(990));
      expect(progress.filter((line) => line.done === line.total)).toHaveLength(1);
      expect(await cli.stop()).toBe(0);
    } finally {
      cli.kill();
    }
  }, 120_000);
});
