import { beforeAll, describe, expect, it } from 'vitest';
import { STU3_TENANT, startTestSandbox, type TestSandbox } from '../support/testSandbox.js';

/**
 * The gateway's body-type check answers each request by its own Content-Type, however many
 * requests with the same or other headers came before (the check remembers header texts it has
 * seen, a bounded number of them).
 */
describe('gateway body types, request after request', () => {
  let t: TestSandbox;
  let token: string;

  beforeAll(async () => {
    t = await startTestSandbox();
    token = await t.token(STU3_TENANT);
  });

  const batch = JSON.stringify({ resourceType: 'Bundle', type: 'batch', entry: [{ request: { method: 'GET', url: 'Patient?_count=1' } }] });
  const post = (path: string, contentType: string | undefined, body: string) => {
    let request = t.http.post(`/fhir/stu3${path}`).set('Authorization', `Bearer ${token}`);
    if (contentType !== undefined) request = request.set('Content-Type', contentType);
    return request.serialize((bytes: unknown) => bytes as string).send(body);
  };

  it('takes FHIR JSON spelled any way type-is accepts and refuses the rest, each time it is asked', async () => {
    const cases: Array<[string, number]> = [
      ['application/fhir+json', 200],
      ['text/plain', 415],
      ['application/fhir+json', 200],
      ['APPLICATION/JSON; charset=utf-8', 200],
      ['application/json+fhir;charset=UTF-8', 200],
      ['application/xml', 415],
      ['text/plain', 415],
      ['application/json', 200],
    ];
    for (let round = 0; round < 2; round++) {
      for (const [type, status] of cases) {
        const response = await post('', type, batch);
        expect({ type, status: response.status }).toEqual({ type, status });
        expect(response.body.resourceType).toBe(status === 200 ? 'Bundle' : 'OperationOutcome');
      }
    }
  });

  it('keeps answering correctly past the number of header texts it remembers', async () => {
    for (let i = 0; i < 150; i++) {
      const json = await post('', `application/fhir+json; x-variant=${i}`, batch);
      expect(json.status).toBe(200);
      const plain = await post('', `text/plain; x-variant=${i}`, batch);
      expect(plain.status).toBe(415);
    }
  });

  it('refuses a search form of another type and takes a form or an empty body of any type', async () => {
    expect((await post('/Patient/_search', 'application/x-www-form-urlencoded', '_count=1')).status).toBe(200);
    expect((await post('/Patient/_search', 'text/plain', '_count=1')).status).toBe(415);
    expect((await post('/Patient/_search', 'application/x-www-form-urlencoded; charset=utf-8', '_count=1')).status).toBe(200);
    expect((await post('/Patient/_search', 'text/plain', '')).status).toBe(200);
    expect((await post('/Patient/_search', 'text/plain', '_count=1')).status).toBe(415);
  });
});
