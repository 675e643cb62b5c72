import Koa, { type Middleware } from 'koa';
import supertest from 'supertest';
import { beforeAll, describe, expect, it } from 'vitest';
import { gateway } from '../../src/http/gateway.js';
import type { SandboxState } from '../../src/http/httpState.js';
import { requestLifecycle } from '../../src/http/requestLifecycle.js';
import { startTestSandbox, STU3_TENANT, type TestSandbox } from '../support/testSandbox.js';

/**
 * The gateway with a fault layer that only counts: while the engine is idle a request goes straight
 * to its answer, its body read first if it has one (the layer costs one check); once a rule exists,
 * every request passes through the layer.
 */
describe('gateway and an idle fault layer', () => {
  let test: TestSandbox;
  let token: string;
  let idle = true;
  let entered: string[] = [];

  beforeAll(async () => {
    test = await startTestSandbox();
    token = await test.token(STU3_TENANT);
  });

  function app() {
    const counting: Middleware<SandboxState> = (ctx, next) => {
      entered.push(`${ctx.method} ${ctx.path}`);
      return next();
    };
    const koa = new Koa<SandboxState>();
    koa.use(requestLifecycle(test.sandbox.events, test.clock));
    koa.use(
      gateway({
        auth: test.sandbox.auth,
        tenants: test.sandbox.tenants,
        clock: test.clock,
        faults: counting,
        faultsIdle: () => idle,
        publicBaseUrl: undefined,
        softwareVersion: 'test',
        exports: test.sandbox.exports,
      }),
    );
    return supertest(koa.callback());
  }

  it('idle: reads and metadata skip the layer and answer as before', async () => {
    idle = true;
    entered = [];
    const http = app();
    const read = await http.get('/fhir/stu3/Patient/ruth-black').set('Authorization', `Bearer ${token}`);
    expect(read.status).toBe(200);
    expect(read.headers['content-type']).toMatch(/^application\/fhir\+json/);
    expect(read.headers.etag).toMatch(/^W\/"\d+"$/);
    expect(read.headers['last-modified']).toMatch(/GMT$/);
    expect(read.body).toMatchObject({ resourceType: 'Patient', id: 'ruth-black' });
    const missing = await http.get('/fhir/stu3/Patient/nobody-here').set('Authorization', `Bearer ${token}`);
    expect(missing.status).toBe(404);
    expect(missing.body.resourceType).toBe('OperationOutcome');
    const metadata = await http.get('/fhir/stu3/metadata');
    expect(metadata.status).toBe(200);
    const refused = await http.get('/fhir/stu3/Patient/ruth-black').set('Authorization', 'Bearer not-a-token');
    expect(refused.status).toBe(401);
    expect(refused.headers['www-authenticate']).toMatch(/^Bearer /);
    expect(entered).toEqual([]);
  });

  const batchOfOne = { resourceType: 'Bundle', type: 'batch', entry: [{ request: { method: 'GET', url: 'Patient/ruth-black' } }] };

  it('idle: a POST _search and a batch skip the layer too, their bodies read as before', async () => {
    idle = true;
    entered = [];
    const http = app();
    const search = await http.post('/fhir/stu3/Patient/_search').set('Authorization', `Bearer ${token}`).type('form').send('family=black');
    expect(search.status).toBe(200);
    expect(search.headers['content-type']).toMatch(/^application\/fhir\+json/);
    expect(search.body).toMatchObject({ resourceType: 'Bundle', type: 'searchset', entry: [{ resource: { id: 'ruth-black' } }] });
    const batch = await http.post('/fhir/stu3').set('Authorization', `Bearer ${token}`).set('Content-Type', 'application/fhir+json').send(JSON.stringify(batchOfOne));
    expect(batch.status).toBe(200);
    expect(batch.body).toMatchObject({ resourceType: 'Bundle', type: 'batch-response', entry: [{ response: { status: '200 OK' }, resource: { id: 'ruth-black' } }] });
    const refused = await http.post('/fhir/stu3/Patient/_search').set('Authorization', `Bearer ${token}`).type('text').send('family=black');
    expect(refused.status).toBe(415);
    expect(refused.body.resourceType).toBe('OperationOutcome');
    expect(entered).toEqual([]);
  });

  it('with a rule: a POST _search and a batch pass through the layer, then have their bodies read', async () => {
    idle = false;
    entered = [];
    const http = app();
    const search = await http.post('/fhir/stu3/Patient/_search').set('Authorization', `Bearer ${token}`).type('form').send('family=black');
    expect(search.status).toBe(200);
    expect(search.body).toMatchObject({ resourceType: 'Bundle', type: 'searchset', entry: [{ resource: { id: 'ruth-black' } }] });
    const batch = await http.post('/fhir/stu3').set('Authorization', `Bearer ${token}`).set('Content-Type', 'application/fhir+json').send(JSON.stringify(batchOfOne));
    expect(batch.status).toBe(200);
    expect(batch.body).toMatchObject({ resourceType: 'Bundle', type: 'batch-response', entry: [{ resource: { id: 'ruth-black' } }] });
    expect(entered).toEqual(['POST /fhir/stu3/Patient/_search', 'POST /fhir/stu3']);
  });

  it('with a rule: every request passes through the layer', async () => {
    idle = false;
    entered = [];
    const read = await app().get('/fhir/stu3/Patient/ruth-black').set('Authorization', `Bearer ${token}`);
    expect(read.status).toBe(200);
    expect(entered).toEqual(['GET /fhir/stu3/Patient/ruth-black']);
  });
});
