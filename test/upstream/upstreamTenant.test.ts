import { get as httpGet, createServer, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Resource } from '../../src/fhir/types.js';
import { closeUpstreams } from '../../src/tenants/upstreamTenants.js';
import { startMedplumUpstream, outcome, type MedplumUpstream } from '../support/medplumUpstream.js';
import { DEMO_CLIENT, startTestSandbox, type TestSandbox } from '../support/testSandbox.js';

const FHIR_JSON = 'application/fhir+json; charset=utf-8';
const UPSTREAM_TENANT = '0b6c1f2e-3d4a-4b5c-8d6e-7f8091a2b3c4';
const SLOW_TENANT = '1c7d2e3f-4a5b-4c6d-9e7f-8091a2b3c4d5';
const NARROW = { id: 'narrow', secret: 'narrow-secret' };

interface Bundle extends Resource {
  type?: string;
  total?: number;
  link?: Array<{ relation: string; url: string }>;
  entry?: Array<{ fullUrl?: string; resource?: Resource; response?: { status: string; location?: string } }>;
}

/** A profile with one upstream R4 tenant (and a second one on the same server with a short timeout). */
function upstreamProfile(baseUrl: string, auth: Record<string, unknown> = { type: 'none' }) {
  return {
    tenants: [
      { id: UPSTREAM_TENANT, name: 'Medplum', hospital: 'Medplum in memory (R4)', fhirVersion: 'r4', upstream: { baseUrl, auth } },
      { id: SLOW_TENANT, name: 'Slowpoke', hospital: 'Slow upstream (R4)', fhirVersion: 'r4', upstream: { baseUrl, auth, timeoutMs: 500 } },
    ],
    clients: [
      { id: DEMO_CLIENT.id, secret: DEMO_CLIENT.secret, tenants: '*' },
      { id: NARROW.id, secret: NARROW.secret, tenants: '*', scopes: ['system/Observation.rs'] },
    ],
  };
}

async function seedPatients(upstream: MedplumUpstream, count: number): Promise<Resource[]> {
  const patients: Resource[] = [];
  for (let index = 0; index < count; index++) {
    const patient = await upstream.repo.createResource({ resourceType: 'Patient', name: [{ family: `Upstream${index}`, given: ['Ada'] }], identifier: [{ system: 'urn:test:mrn', value: `MRN-${index}` }], gender: 'female', birthDate: '1970-01-01' });
    await upstream.repo.createResource({ resourceType: 'Observation', status: 'final', code: { text: 'Heart rate' }, subject: { reference: `Patient/${patient.id}` }, valueQuantity: { value: 60 + index, unit: '/min' } });
    patients.push(patient as Resource);
  }
  return patients;
}

const BIG_ENTRIES = 20_000;
// The upstream holds the second half of the big Bundle back until the client has bytes of the first half.
let releaseSecondHalf: () => void = () => undefined;
let releasedByClient = false;

/** A searchset of several MB, written in two halves: the second only once the sandbox's client has received bytes. */
async function streamBigBundle(response: ServerResponse, base: string): Promise<void> {
  const entry = (index: number) =>
    `${index === 0 ? '' : ','}{"fullUrl":"${base}/Observation/big-${index}","resource":{"resourceType":"Observation","id":"big-${index}","status":"final","code":{"text":"big"},"subject":{"reference":"${base}/Patient/p-${index % 50}"},"valueQuantity":{"value":${index},"unit":"/min"},"note":[{"text":"${'x'.repeat(200)}"}]}}`;
  response.writeHead(200, { 'content-type': 'application/fhir+json' });
  response.write(`{"resourceType":"Bundle","type":"searchset","total":${BIG_ENTRIES},"link":[{"relation":"self","url":"${base}/Observation?code=big"}],"entry":[`);
  for (let index = 0; index < BIG_ENTRIES / 2; index++) response.write(entry(index));
  // Bounded: if the sandbox held the answer back, the test fails instead of waiting forever.
  await new Promise<void>((resolve) => {
    const giveUp = setTimeout(() => {
      releaseSecondHalf = () => undefined;
      resolve();
    }, 10_000);
    releaseSecondHalf = () => {
      clearTimeout(giveUp);
      releasedByClient = true;
      resolve();
    };
  });
  for (let index = BIG_ENTRIES / 2; index < BIG_ENTRIES; index++) response.write(entry(index));
  response.end(']}');
}

describe('an upstream tenant in front of an independent R4 server (Medplum)', () => {
  let upstream: MedplumUpstream;
  let t: TestSandbox;
  let bearer: string;
  let patients: Resource[];
  beforeAll(async () => {
    upstream = await startMedplumUpstream({
      intercept: async (request, response) => {
        if (request.url?.startsWith('/fhir/Patient/explode')) {
          response.writeHead(500, { 'content-type': 'application/fhir+json' }).end(JSON.stringify(outcome('exception', 'database on fire')));
          return true;
        }
        if (request.url?.startsWith('/fhir/Patient/html-error')) {
          response.writeHead(500, { 'content-type': 'text/html' }).end('<h1>Internal Server Error</h1>');
          return true;
        }
        if (request.url?.startsWith('/fhir/Observation?code=big')) {
          await streamBigBundle(response, upstream.baseUrl);
          return true;
        }
        if (request.url?.startsWith('/fhir/Patient/stall')) {
          // Holds the answer until the client goes away.
          await new Promise((resolve) => request.socket.once('close', resolve));
          return true;
        }
        return false;
      },
    });
    patients = await seedPatients(upstream, 5);
    t = await startTestSandbox({}, { profile: upstreamProfile(upstream.baseUrl) });
    bearer = `Bearer ${await t.token(UPSTREAM_TENANT)}`;
  }, 60_000);
  afterAll(async () => {
    await closeUpstreams(t.sandbox.tenants);
    await upstream.stop();
  });

  const get = (path: string) => t.http.get(`/fhir/r4/${path}`).set('Authorization', bearer);

  it('reads a resource: the upstream\'s resource, in the gateway\'s content type, with its ETag and Last-Modified', async () => {
    const patient = patients[0] as Resource;
    const response = await get(`Patient/${patient.id}`);
    expect(response.status).toBe(200);
    expect(response.headers['content-type']).toBe(FHIR_JSON);
    expect(JSON.parse(response.text)).toEqual(patient);
    expect(response.headers['etag']).toBe(`W/"${patient.meta?.versionId}"`);
    expect(response.headers['last-modified']).toBe(new Date(patient.meta?.lastUpdated as string).toUTCString());
    // The sandbox's own credentials go upstream (none here), never the client's token.
    const last = upstream.received.at(-1);
    expect(last?.url).toBe(`/Patient/${patient.id}`);
    expect(last?.headers.authorization).toBeUndefined();
  });

  it('passes the upstream\'s 404 on as it is: an OperationOutcome, in the gateway\'s content type', async () => {
    const response = await get('Patient/no-such-patient');
    expect(response.status).toBe(404);
    expect(response.headers['content-type']).toBe(FHIR_JSON);
    expect(JSON.parse(response.text)).toMatchObject({ resourceType: 'OperationOutcome', issue: [{ code: 'not-found' }] });
  });

  it('pages a search through the sandbox: fullUrls and next links name the gateway, and every page comes from the upstream', async () => {
    const gatewayBase = new RegExp(`^http://127\\.0\\.0\\.1(:\\d+)?/fhir/r4/`);
    const seen: string[] = [];
    let path: string | undefined = 'Patient?_count=2';
    let pages = 0;
    while (path !== undefined) {
      const response = await get(path);
      expect(response.status).toBe(200);
      expect(response.headers['content-type']).toBe(FHIR_JSON);
      const bundle = JSON.parse(response.text) as Bundle;
      expect(bundle).toMatchObject({ resourceType: 'Bundle', type: 'searchset', total: 5 });
      expect(response.text).not.toContain(upstream.baseUrl);
      for (const entry of bundle.entry ?? []) {
        expect(entry.fullUrl).toMatch(gatewayBase);
        seen.push(entry.resource?.id as string);
      }
      const next = bundle.link?.find((link) => link.relation === 'next')?.url;
      if (next !== undefined) expect(next).toMatch(gatewayBase);
      path = next?.replace(gatewayBase, '');
      pages++;
    }
    expect(pages).toBe(3);
    // The request event names the next link as the client got it: the report card follows paging by it.
    const firstPage = t.sandbox.requestLog.recent().filter((event) => event.path === '/fhir/r4/Patient').at(-3);
    expect(firstPage?.nextLink).toMatch(new RegExp(`${gatewayBase.source}Patient\\?.*_offset=2`));
    expect(seen.sort()).toEqual(patients.map((patient) => patient.id).sort());
    expect(upstream.received.filter((request) => request.url.startsWith('/Patient?')).length).toBeGreaterThanOrEqual(3);
  });

  it('forwards a POST _search form as a form, and answers what the upstream found', async () => {
    const response = await t.http.post('/fhir/r4/Observation/_search').set('Authorization', bearer).type('form').send({ subject: `Patient/${patients[1]?.id}` });
    expect(response.status).toBe(200);
    const bundle = JSON.parse(response.text) as Bundle;
    expect(bundle.entry?.map((entry) => (entry.resource as { subject?: { reference?: string } }).subject?.reference)).toEqual([`Patient/${patients[1]?.id}`]);
    expect(upstream.received.at(-1)?.headers['content-type']).toBe('application/x-www-form-urlencoded');
  });

  it('forwards a batch and answers the upstream\'s batch-response entry by entry', async () => {
    const patient = patients[2] as Resource;
    const batch = {
      resourceType: 'Bundle',
      type: 'batch',
      entry: [
        { request: { method: 'GET', url: `Patient/${patient.id}` } },
        { request: { method: 'GET', url: 'Patient/no-such-patient' } },
        { request: { method: 'GET', url: `Observation?subject=Patient/${patient.id}` } },
      ],
    };
    const response = await t.http.post('/fhir/r4').set('Authorization', bearer).set('Content-Type', 'application/fhir+json').send(JSON.stringify(batch));
    expect(response.status).toBe(200);
    expect(response.headers['content-type']).toBe(FHIR_JSON);
    const answer = JSON.parse(response.text) as Bundle;
    expect(answer.type).toBe('batch-response');
    expect(answer.entry?.map((entry) => entry.response?.status)).toEqual(['200', '404', '200']);
    expect(answer.entry?.[0]?.resource).toEqual(patient);
    expect((answer.entry?.[2]?.resource as Bundle).entry).toHaveLength(1);
    expect(response.text).not.toContain(upstream.baseUrl);
  });

  it('creates through the upstream: 201 with Location rewritten to the gateway', async () => {
    const response = await t.http
      .post('/fhir/r4/Patient')
      .set('Authorization', bearer)
      .set('Content-Type', 'application/fhir+json')
      .set('Prefer', 'return=representation')
      .send(JSON.stringify({ resourceType: 'Patient', name: [{ family: 'Created' }] }));
    expect(response.status).toBe(201);
    const created = JSON.parse(response.text) as Resource;
    expect(response.headers['location']).toMatch(new RegExp(`^http://127\\.0\\.0\\.1(:\\d+)?/fhir/r4/Patient/${created.id}/_history/`));
    expect(upstream.received.at(-1)?.headers['prefer']).toBe('return=representation');
    expect((await upstream.repo.readResource('Patient', created.id as string) as { name?: unknown }).name).toEqual([{ family: 'Created' }]);
    await upstream.repo.deleteResource('Patient', created.id as string);
  });

  it('passes an upstream 500 OperationOutcome on as 500; an upstream 500 that is not FHIR becomes a 502 naming the tenant and host', async () => {
    const fhir500 = await get('Patient/explode');
    expect(fhir500.status).toBe(500);
    expect(fhir500.headers['content-type']).toBe(FHIR_JSON);
    expect(JSON.parse(fhir500.text)).toMatchObject({ resourceType: 'OperationOutcome', issue: [{ diagnostics: 'database on fire' }] });
    const html500 = await get('Patient/html-error');
    expect(html500.status).toBe(502);
    expect(html500.headers['content-type']).toBe(FHIR_JSON);
    const issue = (JSON.parse(html500.text) as { issue: Array<{ code: string; diagnostics: string }> }).issue[0];
    expect(issue?.code).toBe('transient');
    expect(issue?.diagnostics).toContain(UPSTREAM_TENANT);
    expect(issue?.diagnostics).toContain(new URL(upstream.baseUrl).host);
  });

  it('answers 504 when the upstream does not answer within the tenant\'s timeout', async () => {
    const slowBearer = `Bearer ${await t.token(SLOW_TENANT)}`;
    const response = await t.http.get('/fhir/r4/Patient/stall').set('Authorization', slowBearer);
    expect(response.status).toBe(504);
    expect(response.headers['content-type']).toBe(FHIR_JSON);
    const issue = (JSON.parse(response.text) as { issue: Array<{ code: string; diagnostics: string }> }).issue[0];
    expect(issue?.code).toBe('timeout');
    expect(issue?.diagnostics).toContain(SLOW_TENANT);
    expect(issue?.diagnostics).toContain('500 ms');
  });

  it('applies faults to upstream tenants like to any other: an error rule answers without asking the upstream, a response fault reshapes its answer', async () => {
    const before = upstream.received.length;
    await t.http.post('/admin/faults').send({ name: 'upstream-down', match: { tenantId: UPSTREAM_TENANT, interaction: 'read' }, effect: { error: { status: 503, retryAfterSeconds: 4 } } }).expect(201);
    const faulted = await get(`Patient/${patients[0]?.id}`);
    expect(faulted.status).toBe(503);
    expect(faulted.headers['retry-after']).toBe('4');
    expect(upstream.received.length).toBe(before);
    await t.http.delete('/admin/faults/upstream-down').expect(204);

    await t.http.post('/admin/faults').send({ name: 'liar', match: { tenantId: UPSTREAM_TENANT, interaction: 'search' }, effect: { response: { kind: 'total-mismatch', delta: 5 } } }).expect(201);
    const lying = await get('Patient?_count=2');
    expect(lying.status).toBe(200);
    expect((JSON.parse(lying.text) as Bundle).total).toBe(10);
    expect(upstream.received.length).toBeGreaterThan(before);
    await t.http.delete('/admin/faults/liar').expect(204);
  });

  it('adds a latency fault to the upstream\'s own time, and reports the two apart', async () => {
    await t.http.post('/admin/faults').send({ name: 'slow-partner', match: { tenantId: UPSTREAM_TENANT, interaction: 'read' }, effect: { latency: { distribution: 'fixed', ms: 150 } } }).expect(201);
    const before = upstream.received.length;
    const slow = await get(`Patient/${patients[1]?.id}`);
    expect(slow.status).toBe(200);
    expect(slow.headers['x-sandbox-fault']).toBe('slow-partner');
    expect(JSON.parse(slow.text)).toMatchObject({ resourceType: 'Patient', id: patients[1]?.id });
    expect(upstream.received.length).toBe(before + 1);
    const entry = t.sandbox.requestLog.recent().at(-1);
    // The delay is the partner's, spent before the call goes upstream: it is in the total, not in the upstream's share.
    expect(entry?.ms).toBeGreaterThanOrEqual(150);
    expect((entry?.ms ?? 0) - (entry?.upstreamMs ?? Number.NaN)).toBeGreaterThanOrEqual(150);
    await t.http.delete('/admin/faults/slow-partner').expect(204);
  });

  it('streams a several-MB Bundle through with its URLs rewritten, without holding it whole: the client has the first half before the upstream sends the second', async () => {
    const server = createServer(t.sandbox.app.callback());
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    try {
      const text = await new Promise<string>((resolve, reject) => {
        httpGet(`${origin}/fhir/r4/Observation?code=big`, { headers: { authorization: bearer } }, (response) => {
          expect(response.statusCode).toBe(200);
          expect(response.headers['content-type']).toBe(FHIR_JSON);
          const chunks: Buffer[] = [];
          response.on('data', (chunk: Buffer) => {
            if (chunks.length === 0) releaseSecondHalf();
            chunks.push(chunk);
          });
          response.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
          response.on('error', reject);
        }).on('error', reject);
      });
      expect(releasedByClient).toBe(true);
      expect(Buffer.byteLength(text)).toBeGreaterThan(5_000_000);
      expect(text).not.toContain(upstream.baseUrl);
      const bundle = JSON.parse(text) as Bundle;
      expect(bundle.entry).toHaveLength(BIG_ENTRIES);
      expect(bundle.entry?.[BIG_ENTRIES - 1]?.fullUrl).toBe(`${origin}/fhir/r4/Observation/big-${BIG_ENTRIES - 1}`);
      expect((bundle.entry?.[7]?.resource as unknown as { subject: { reference: string } }).subject.reference).toBe(`${origin}/fhir/r4/Patient/p-7`);
    } finally {
      server.closeAllConnections();
      await new Promise((resolve) => server.close(resolve));
    }
  }, 60_000);

  it('enforces SMART scopes before anything goes upstream, for calls and for batch entries; $export answers 501', async () => {
    const issued = await t.http.post('/oauth2/token').type('form').send({ grant_type: 'client_credentials', client_id: NARROW.id, client_secret: NARROW.secret, scope: `${UPSTREAM_TENANT} system/Observation.rs` });
    const narrow = `Bearer ${(issued.body as { access_token: string }).access_token}`;
    const before = upstream.received.length;
    const refused = await t.http.get(`/fhir/r4/Patient/${patients[0]?.id}`).set('Authorization', narrow);
    expect(refused.status).toBe(403);
    expect(JSON.parse(refused.text)).toMatchObject({ resourceType: 'OperationOutcome', issue: [{ code: 'forbidden', diagnostics: 'The access granted to this request does not cover read of Patient' }] });
    expect(upstream.received.length).toBe(before);

    const batch = { resourceType: 'Bundle', type: 'batch', entry: [{ request: { method: 'GET', url: `Patient/${patients[0]?.id}` } }, { request: { method: 'GET', url: `Observation?subject=Patient/${patients[0]?.id}` } }] };
    const answered = await t.http.post('/fhir/r4').set('Authorization', narrow).set('Content-Type', 'application/fhir+json').send(JSON.stringify(batch));
    expect(answered.status).toBe(200);
    const entries = (JSON.parse(answered.text) as Bundle).entry ?? [];
    expect(entries.map((entry) => entry.response?.status)).toEqual(['403 Forbidden', '200']);
    expect(entries[0]?.resource).toMatchObject({ resourceType: 'OperationOutcome', issue: [{ code: 'forbidden' }] });
    const forwarded = JSON.parse(upstream.received.at(-1)?.body ?? '{}') as Bundle;
    expect(forwarded.entry).toHaveLength(1);

    const exported = await get('Patient/$export');
    expect(exported.status).toBe(501);
    expect(JSON.parse(exported.text)).toMatchObject({ resourceType: 'OperationOutcome', issue: [{ code: 'not-supported' }] });
    expect(exported.text).toContain('not supported for upstream tenants');
  });

  it('shows upstream tenants in the request log with the upstream\'s share of the time', async () => {
    await get(`Patient/${patients[0]?.id}`).expect(200);
    const entry = t.sandbox.requestLog.recent().at(-1);
    expect(entry).toMatchObject({ tenantId: UPSTREAM_TENANT, status: 200 });
    expect(typeof entry?.upstreamMs).toBe('number');
  });
});

describe('upstream tenants: credentials, versions and an upstream that goes away', () => {
  it('sends a static bearer token and HTTP Basic credentials upstream, never the client\'s own token', async () => {
    for (const [auth, header] of [
      [{ type: 'bearer', token: 's3cret-upstream-token' }, 'Bearer s3cret-upstream-token'],
      [{ type: 'basic', username: 'sandbox', password: 'pa:ss' }, `Basic ${Buffer.from('sandbox:pa:ss').toString('base64')}`],
    ] as const) {
      const upstream = await startMedplumUpstream({ auth: { kind: 'header', authorization: header } });
      const [patient] = await seedPatients(upstream, 1);
      const t = await startTestSandbox({}, { profile: upstreamProfile(upstream.baseUrl, auth) });
      try {
        const response = await t.http.get(`/fhir/r4/Patient/${patient?.id}`).set('Authorization', `Bearer ${await t.token(UPSTREAM_TENANT)}`);
        expect(response.status, auth.type).toBe(200);
        expect(upstream.received.at(-1)?.headers.authorization).toBe(header);
      } finally {
        await closeUpstreams(t.sandbox.tenants);
        await upstream.stop();
      }
    }
  }, 60_000);

  it('gets a client-credentials token from the upstream\'s token endpoint once, reuses it, and fetches a fresh one when it is refused', async () => {
    const credentials = { clientId: 'sandbox-proxy', clientSecret: 'proxy secret' };
    const upstream = await startMedplumUpstream({ auth: { kind: 'client-credentials', ...credentials, expiresIn: 3600 } });
    const [patient] = await seedPatients(upstream, 1);
    const t = await startTestSandbox({}, { profile: upstreamProfile(upstream.baseUrl, { type: 'client-credentials', tokenUrl: upstream.tokenUrl, ...credentials }) });
    try {
      const bearer = `Bearer ${await t.token(UPSTREAM_TENANT)}`;
      for (let call = 0; call < 3; call++) expect((await t.http.get(`/fhir/r4/Patient/${patient?.id}`).set('Authorization', bearer)).status).toBe(200);
      // One token per tenant (both tenants of the profile point here): cached, not one per call.
      expect(upstream.issuedTokens).toHaveLength(2);
      upstream.revoked.add(upstream.received.at(-1)?.headers.authorization?.slice('Bearer '.length) as string);
      expect((await t.http.get(`/fhir/r4/Patient/${patient?.id}`).set('Authorization', bearer)).status).toBe(200);
      expect(upstream.issuedTokens).toHaveLength(3);
      expect(upstream.received.at(-1)?.headers.authorization).toBe(`Bearer ${upstream.issuedTokens[2]}`);
    } finally {
      await closeUpstreams(t.sandbox.tenants);
      await upstream.stop();
    }
  }, 60_000);

  it('refuses to start a tenant declared with another FHIR version than its upstream\'s metadata names', async () => {
    const upstream = await startMedplumUpstream();
    try {
      const profile = upstreamProfile(upstream.baseUrl);
      const stu3 = { ...profile, tenants: [{ ...(profile.tenants[0] as Record<string, unknown>), fhirVersion: 'stu3' }] };
      await expect(startTestSandbox({}, { profile: stu3 })).rejects.toThrow(/tenants\[0\]\.upstream: .* speaks FHIR 4\.0\.1 \(R4\), but the tenant is declared STU3/);
    } finally {
      await upstream.stop();
    }
  }, 60_000);

  it('answers 502 naming the tenant and the upstream host once the upstream is down', async () => {
    const upstream = await startMedplumUpstream();
    const [patient] = await seedPatients(upstream, 1);
    const t = await startTestSandbox({}, { profile: upstreamProfile(upstream.baseUrl) });
    try {
      const bearer = `Bearer ${await t.token(UPSTREAM_TENANT)}`;
      expect((await t.http.get(`/fhir/r4/Patient/${patient?.id}`).set('Authorization', bearer)).status).toBe(200);
      await upstream.stop();
      const response = await t.http.get(`/fhir/r4/Patient/${patient?.id}`).set('Authorization', bearer);
      expect(response.status).toBe(502);
      expect(response.headers['content-type']).toBe(FHIR_JSON);
      const body = JSON.parse(response.text) as { resourceType: string; issue: Array<{ severity: string; code: string; diagnostics: string }> };
      expect(body.resourceType).toBe('OperationOutcome');
      expect(body.issue[0]).toMatchObject({ severity: 'error', code: 'transient' });
      expect(body.issue[0]?.diagnostics).toContain(`tenant ${UPSTREAM_TENANT} (Medplum in memory (R4))`);
      expect(body.issue[0]?.diagnostics).toContain(new URL(upstream.baseUrl).host);
    } finally {
      await closeUpstreams(t.sandbox.tenants);
    }
  }, 60_000);
});
