import { describe, expect, it } from 'vitest';
import { STU3_TENANT, startTestSandbox } from '../support/testSandbox.js';

const records = `/admin/tenants/${STU3_TENANT}/records`;
const json = { 'Content-Type': 'application/json' };

type Response = Awaited<ReturnType<Awaited<ReturnType<typeof startTestSandbox>>['http']['get']>>;

/** An error as the admin API writes it: JSON with a code and a message, nothing of the internals. */
function expectAdminError(response: Response, status: number, error: string): void {
  expect(response.status).toBe(status);
  expect(response.headers['content-type']).toMatch(/^application\/json/);
  expect(response.headers['x-powered-by']).toBeUndefined();
  expect(response.body.error).toBe(error);
  expect(typeof response.body.message).toBe('string');
  expect(response.body.message.length).toBeGreaterThan(5);
  expect(response.text).not.toMatch(/node_modules|\/work\/|\bat \w+ \(|<html|<pre/i);
}

describe('raw record view errors: JSON with the right 4xx, no framework banner, no internals', () => {
  it('malformed JSON is a 400', async () => {
    const { http } = await startTestSandbox();
    expectAdminError(await http.post(`${records}/Patient`).set(json).send('{"resourceType": "Patient", "id": '), 400, 'bad-json');
    expectAdminError(await http.patch(`${records}/Patient/ruth-black`).set(json).send('{oops}'), 400, 'bad-json');
  });

  it('a body that is not a JSON object is a 400', async () => {
    const { http } = await startTestSandbox();
    expectAdminError(await http.post(`${records}/Patient`).set(json).send('[1, 2]'), 400, 'bad-request');
    expectAdminError(await http.put(`${records}/Patient/ruth-black`).set(json).send('"text"'), 400, 'bad-json');
  });

  it('creating a record whose id exists is a 409 and changes nothing', async () => {
    const { http, sandbox } = await startTestSandbox();
    const response = await http.post(`${records}/Patient`).set(json).send({ resourceType: 'Patient', id: 'ruth-black', gender: 'male' });
    expectAdminError(response, 409, 'duplicate-id');
    expect(response.body.message).toContain('Patient/ruth-black');
    const stored = sandbox.tenants.get(STU3_TENANT)?.store.read('Patient', 'ruth-black');
    expect(stored?.status === 'found' && stored.record.resource().gender).toBe('female');
  });

  it('a body over the limit is a 413', async () => {
    const { http } = await startTestSandbox();
    const huge = { resourceType: 'Patient', id: 'huge', text: { status: 'generated', div: `<div xmlns="http://www.w3.org/1999/xhtml">${'x'.repeat(6 * 1024 * 1024)}</div>` } };
    expectAdminError(await http.post(`${records}/Patient`).set(json).send(huge), 413, 'body-too-large');
  });

  it('a record that does not exist is a 404 with a message, for every method', async () => {
    const { http } = await startTestSandbox();
    for (const response of [
      await http.get(`${records}/Patient/no-such-patient`),
      await http.put(`${records}/Patient/no-such-patient`).set(json).send({ resourceType: 'Patient', gender: 'male' }),
      await http.patch(`${records}/Patient/no-such-patient`).set(json).send({ gender: 'male' }),
      await http.delete(`${records}/Patient/no-such-patient`),
    ]) {
      expectAdminError(response, 404, 'record-not-found');
      expect(response.body.message).toContain('Patient/no-such-patient');
    }
  });

  it('an edit that breaks the FHIR definitions is a 422 naming the field, in the same shape', async () => {
    const { http } = await startTestSandbox();
    const refused = await http.patch(`${records}/Patient/ruth-black`).set(json).send({ birthDate: 'last tuesday' });
    expectAdminError(refused, 422, 'invalid-resource');
    expect(refused.body.field).toContain('birthDate');
    expect(refused.headers.location).toBeUndefined();
  });

  it('answers without X-Powered-By and never as JSONP (a cross-site <script> must not read records)', async () => {
    const { http } = await startTestSandbox();
    const list = await http.get(`${records}/Patient?_limit=2&callback=steal`);
    expect(list.status).toBe(200);
    expect(list.headers['x-powered-by']).toBeUndefined();
    expect(list.headers['content-type']).toMatch(/^application\/json/);
    expect(list.text.startsWith('[')).toBe(true);
  });
});

describe('raw record view links', () => {
  it('Link paging headers carry the /admin/tenants/<id>/records prefix: following each gives the right page', async () => {
    const { http } = await startTestSandbox();
    const all = (await http.get(`${records}/Patient`)).body as Array<{ id: string }>;
    const page = await http.get(`${records}/Patient?_page=2&_limit=3`);
    expect(page.status).toBe(200);
    const links = Object.fromEntries(
      String(page.headers.link)
        .split(', ')
        .map((part) => /^<([^>]+)>; rel="(\w+)"$/.exec(part))
        .map((match) => [match?.[2], match?.[1]]),
    ) as Record<string, string>;
    expect(Object.keys(links).sort()).toEqual(['first', 'last', 'next', 'prev']);
    const lastPage = Math.ceil(all.length / 3);
    for (const [rel, pageNumber] of [['first', 1], ['prev', 1], ['next', 3], ['last', lastPage]] as const) {
      const url = new URL(links[rel] as string);
      expect(url.pathname).toBe(`${records}/Patient`);
      const followed = await http.get(`${url.pathname}${url.search}`);
      expect(followed.status, rel).toBe(200);
      expect((followed.body as Array<{ id: string }>).map((resource) => resource.id)).toEqual(all.slice((pageNumber - 1) * 3, pageNumber * 3).map((resource) => resource.id));
    }
  });

  it('the Location of a created record carries the prefix too', async () => {
    const { http } = await startTestSandbox();
    const created = await http.post(`${records}/Patient`).set(json).send({ resourceType: 'Patient', id: 'raw-located', gender: 'other' });
    expect(created.status).toBe(201);
    const location = new URL(created.headers.location as string);
    expect(location.pathname).toBe(`${records}/Patient/raw-located`);
    expect((await http.get(location.pathname)).body).toMatchObject({ id: 'raw-located', gender: 'other' });
  });
});
