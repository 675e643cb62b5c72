import { Client } from 'fhir-kit-client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { listen, type RunningServer } from '../../src/http/listen.js';
import { systemClock } from '../../src/lib/clock.js';
import { DEMO_CLIENT, DSTU2_TENANT, R4_TENANT, STU3_OTHER_TENANT, STU3_TENANT, startTestSandbox } from '../support/testSandbox.js';

/** A real FHIR client over a real port, doing what an integrating app does on day one. */
describe('fhir-kit-client against the sandbox', () => {
  let server: RunningServer;
  beforeAll(async () => {
    const { sandbox } = await startTestSandbox({}, { clock: systemClock });
    server = await listen(sandbox.app, 0, '127.0.0.1');
  });
  afterAll(() => server.close(1_000));

  async function token(tokenUrl: string, tenant: string, method: 'basic' | 'post'): Promise<string> {
    const form = new URLSearchParams({ grant_type: 'client_credentials', scope: tenant });
    const headers: Record<string, string> = { 'Content-Type': 'application/x-www-form-urlencoded' };
    if (method === 'basic') headers.Authorization = `Basic ${Buffer.from(`${DEMO_CLIENT.id}:${DEMO_CLIENT.secret}`).toString('base64')}`;
    else {
      form.set('client_id', DEMO_CLIENT.id);
      form.set('client_secret', DEMO_CLIENT.secret);
    }
    const response = await fetch(tokenUrl, { method: 'POST', headers, body: form });
    expect(response.status).toBe(200);
    return ((await response.json()) as { access_token: string }).access_token;
  }

  it.each([
    ['stu3', STU3_TENANT, 'ruth-black', 'basic'],
    ['dstu2', DSTU2_TENANT, 'hugh-chau', 'post'],
    ['r4', R4_TENANT, 'ruth-black', 'basic'],
  ] as const)('%s: metadata without a token → token URL from oauth-uris → token (%s) → read', async (version, tenant, patientId, method) => {
    const client = new Client({ baseUrl: `${server.origin}/fhir/${version}` });
    const metadata = (await client.capabilityStatement()) as unknown as { fhirVersion: string };
    expect(metadata.fhirVersion).toBe({ dstu2: '1.0.2', stu3: '3.0.1', r4: '4.0.1' }[version]);
    const { tokenUrl } = await client.smartAuthMetadata();
    expect(tokenUrl?.toString()).toBe(`${server.origin}/oauth2/token`);
    client.bearerToken = await token(String(tokenUrl), tenant, method === 'basic' ? 'basic' : 'post');
    const patient = (await client.read({ resourceType: 'Patient', id: patientId })) as unknown as { id: string; resourceType: string };
    expect(patient).toMatchObject({ resourceType: 'Patient', id: patientId });
  });

  it("a token of tenant B asking for tenant A's patient gets 404, never the resource", async () => {
    const client = new Client({ baseUrl: `${server.origin}/fhir/stu3` });
    const { tokenUrl } = await client.smartAuthMetadata();
    client.bearerToken = await token(String(tokenUrl), STU3_OTHER_TENANT, 'post');
    await expect(client.read({ resourceType: 'Patient', id: 'ruth-black' })).rejects.toMatchObject({ response: { status: 404 } });
  });
});
