import { request as httpRequest } from 'node:http';
import { afterAll, describe, expect, it } from 'vitest';
import { listen } from '../../src/http/listen.js';
import { fhirContentType } from '../../src/fhir/versions/contentType.js';
import { download, downloadLines, exportManifest, kickoff, pathOf, pollUntilDone, startExport } from '../support/bulkExportClient.js';
import { STU3_TENANT, startTestSandbox } from '../support/testSandbox.js';

/** Fault rules aimed at the three export interactions, as a bulk client's retry logic meets them. */
describe('faults on Bulk Data export interactions', () => {
  const closers: Array<() => Promise<void>> = [];
  afterAll(async () => {
    for (const close of closers) await close();
  });

  it('export-kickoff: a 429 with Retry-After refuses the kick-off until the rule goes', async () => {
    const { http, token } = await startTestSandbox();
    const bearer = `Bearer ${await token()}`;
    const added = await http.post('/admin/faults').send({ name: 'busy', match: { interaction: 'export-kickoff' }, effect: { error: { status: 429, retryAfterSeconds: 5 } } });
    expect(added.status).toBe(201);
    const refused = await kickoff(http, bearer, '/fhir/stu3/$export');
    expect(refused.status).toBe(429);
    expect(refused.headers['retry-after']).toBe('5');
    expect(refused.headers['x-sandbox-fault']).toBe('busy');
    expect(refused.headers['content-type']).toBe(fhirContentType('stu3'));
    expect(JSON.parse(refused.text)).toMatchObject({ resourceType: 'OperationOutcome', issue: [{ code: 'throttled' }] });
    // Other interactions are untouched.
    expect((await http.get('/fhir/stu3/Patient/ruth-black').set('Authorization', bearer)).status).toBe(200);
    await http.delete('/admin/faults/busy');
    expect((await kickoff(http, bearer, '/fhir/stu3/$export')).status).toBe(202);
  });

  it('export-status: every other poll fails with 500 (an OperationOutcome); the next poll gets the manifest again', async () => {
    const { http, token } = await startTestSandbox();
    const bearer = `Bearer ${await token()}`;
    const statusPath = await startExport(http, bearer, '/fhir/stu3/$export?_type=Patient');
    expect((await pollUntilDone(http, bearer, statusPath)).status).toBe(200);
    await http.post('/admin/faults').send({ name: 'flaky-status', match: { interaction: 'export-status' }, effect: { error: { status: 500 } }, schedule: { everyNth: 2 } });
    const polls = [];
    for (let i = 0; i < 4; i++) polls.push(await http.get(statusPath).set('Authorization', bearer));
    expect(polls.map((poll) => poll.status)).toEqual([200, 500, 200, 500]);
    expect(JSON.parse(polls[1]?.text ?? '')).toMatchObject({ resourceType: 'OperationOutcome', issue: [{ code: 'exception' }] });
    expect(polls[1]?.headers['x-sandbox-fault']).toBe('flaky-status');
    expect(JSON.parse(polls[2]?.text ?? '').output).toHaveLength(1);
    // DELETE is a status call as well: the fifth, which the rule lets through.
    expect((await http.delete(statusPath).set('Authorization', bearer)).status).toBe(202);
  });

  it('export-file: a download of one type fails (503) while the others are served; latency marks a slow one', async () => {
    const { http, token } = await startTestSandbox();
    const bearer = `Bearer ${await token()}`;
    const manifest = await exportManifest(http, bearer, '/fhir/stu3/Patient/$export?_type=Patient,Condition');
    await http.post('/admin/faults').send({ name: 'no-conditions', match: { interaction: 'export-file', resourceType: 'Condition' }, effect: { error: { status: 503, retryAfterSeconds: 2 } } });
    await http.post('/admin/faults').send({ name: 'slow-files', match: { interaction: 'export-file', resourceType: 'Patient' }, effect: { latency: { distribution: 'fixed', ms: 20 } } });
    const urls = new Map(manifest.output.map((entry) => [entry.type, entry.url]));
    const failed = await download(http, bearer, urls.get('Condition') as string);
    expect(failed.status).toBe(503);
    expect(failed.headers['retry-after']).toBe('2');
    expect(JSON.parse(failed.body as string)).toMatchObject({ resourceType: 'OperationOutcome', issue: [{ code: 'transient' }] });
    const slow = await download(http, bearer, urls.get('Patient') as string);
    expect(slow.status).toBe(200);
    expect(slow.headers['x-sandbox-fault']).toBe('slow-files');
    expect((await downloadLines(http, bearer, urls.get('Patient') as string)).length).toBe(manifest.output.find((entry) => entry.type === 'Patient')?.count);
  });

  it('export-file: a truncated download sends the full Content-Length, part of the NDJSON, then drops the connection', async () => {
    const { sandbox, http, token } = await startTestSandbox();
    const running = await listen(sandbox.app, 0, '127.0.0.1');
    closers.push(() => running.close());
    const bearer = `Bearer ${await token()}`;
    const manifest = await exportManifest(http, bearer, '/fhir/stu3/$export?_type=Observation');
    await http.post('/admin/faults').send({ name: 'cut', match: { interaction: 'export-file' }, effect: { transport: { kind: 'truncate', keepFraction: 0.5 } } });
    const result = await rawGet(`${running.origin}${pathOf(manifest.output[0]?.url as string)}`, bearer);
    expect(result.status).toBe(200);
    expect(result.headers['content-type']).toBe('application/fhir+ndjson');
    expect(result.headers['x-sandbox-fault']).toBe('cut');
    const promised = Number(result.headers['content-length']);
    expect(promised).toBeGreaterThan(100_000);
    expect(result.body.length).toBe(Math.floor(promised / 2));
    expect(result.error?.code).toBe('ECONNRESET');
  });

  it('a tenant outage (preset) covers the export interactions too', async () => {
    const { http, token } = await startTestSandbox();
    const bearer = `Bearer ${await token()}`;
    const manifest = await exportManifest(http, bearer, '/fhir/stu3/$export?_type=Patient');
    expect((await http.post('/admin/faults/presets/tenant-outage').send({ tenantId: STU3_TENANT })).status).toBe(200);
    expect((await kickoff(http, bearer, '/fhir/stu3/$export')).status).toBe(503);
    expect((await download(http, bearer, manifest.output[0]?.url as string)).status).toBe(503);
  });
});

interface RawResult {
  status: number | undefined;
  headers: Record<string, string | string[] | undefined>;
  body: string;
  error: NodeJS.ErrnoException | undefined;
}

/** A GET that reports what arrived before the connection dropped, instead of only an error. */
function rawGet(url: string, bearer: string): Promise<RawResult> {
  return new Promise((resolve) => {
    const result: RawResult = { status: undefined, headers: {}, body: '', error: undefined };
    const request = httpRequest(url, { headers: { Authorization: bearer } }, (response) => {
      result.status = response.statusCode;
      result.headers = response.headers;
      response.setEncoding('latin1');
      response.on('data', (chunk: string) => {
        result.body += chunk;
      });
      response.on('end', () => resolve(result));
      response.on('error', (error) => {
        result.error = error;
        resolve(result);
      });
    });
    request.on('error', (error) => {
      result.error = error;
      resolve(result);
    });
    request.end();
  });
}
