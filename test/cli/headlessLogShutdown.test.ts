import { describe, expect, it } from 'vitest';
import { CliProcess, SMALL_STU3_TENANT, tempDir, waitFor, writeSmallProfile } from './cliProcess.js';

// More than one batch of request lines (64 KB is some 200 lines), so both full and partial batches are counted.
const REQUESTS = 400;

async function readsThenStop(signal: NodeJS.Signals): Promise<{ cli: CliProcess; code: number | null; tag: string }> {
  const profile = writeSmallProfile(tempDir('log-shutdown'));
  const cli = new CliProcess(['--headless', '--port', '0', '--profile', profile]);
  try {
    const listening = (await waitFor(() => cli.jsonLines().find((line) => line.event === 'listening'))) as { urls: { base: string; health: string } };
    await waitFor(async () => ((await fetch(listening.urls.health)).status === 200 ? true : undefined));
    const tokenResponse = await fetch(`${listening.urls.base}/oauth2/token`, {
      method: 'POST',
      body: new URLSearchParams({ grant_type: 'client_credentials', client_id: 'small-client', client_secret: 'small-secret-1', scope: SMALL_STU3_TENANT }),
    });
    const { access_token: token } = (await tokenResponse.json()) as { access_token: string };
    // Each request names itself in its query, so the count below is of these lines and no others.
    const tag = `shutdown-${signal}`;
    for (let index = 0; index < REQUESTS; index += 20) {
      const batch = Array.from({ length: 20 }, async (_, offset) => {
        const response = await fetch(`${listening.urls.base}/fhir/stu3/Patient?_count=1&_id=${tag}-${index + offset}`, { headers: { Authorization: `Bearer ${token}` } });
        await response.arrayBuffer();
        return response.status;
      });
      expect(new Set(await Promise.all(batch))).toEqual(new Set([200]));
    }
    cli.child.kill(signal);
    return { cli, code: await cli.exited, tag };
  } finally {
    cli.kill();
  }
}

describe('headless request log at shutdown', () => {
  for (const signal of ['SIGTERM', 'SIGINT'] as const) {
    it(`${signal}: every request answered before the signal has its line on stdout, once`, async () => {
      const { cli, code, tag } = await readsThenStop(signal);
      expect(code).toBe(0);
      const lines = cli.jsonLines().filter((line) => line.event === 'request' && typeof line.query === 'string' && line.query.includes(tag));
      expect(lines).toHaveLength(REQUESTS);
      expect(new Set(lines.map((line) => line.query)).size).toBe(REQUESTS);
      expect(lines.every((line) => line.status === 200 && line.route === '/fhir/:version/:type')).toBe(true);
    });
  }
});
