import { describe, expect, it } from 'vitest';
import type { Resource } from '../../src/fhir/types.js';
import { validateResource } from '../../src/fhir/validation/validateResource.js';
import { stu3Ruth, testServer } from './fixtures.js';

describe('read', () => {
  it('returns the stored text with ETag and Last-Modified', () => {
    const server = testServer('stu3');
    const response = server.request('GET', 'Patient/ruth');
    expect(response.status).toBe(200);
    expect(response.json).toBeDefined();
    expect(response.headers).toEqual({ ETag: 'W/"1"', 'Last-Modified': 'Thu, 01 Jan 2026 12:00:00 GMT' });
    expect(server.body(response)).toMatchObject({ resourceType: 'Patient', id: 'ruth', meta: { versionId: '1' } });
  });

  it('answers 304 when If-None-Match names the current version', () => {
    const server = testServer('stu3');
    expect(server.request('GET', 'Patient/ruth', { headers: { ifNoneMatch: 'W/"1"' } }).status).toBe(304);
    expect(server.request('GET', 'Patient/ruth', { headers: { ifNoneMatch: 'W/"0"' } }).status).toBe(200);
  });

  it.each([
    ['"1"', 304],
    [' W/"1" ', 304],
    ['W/"9", W/"1"', 304],
    ['"9","1"', 304],
    ['*', 304],
    ['W/"9", "10"', 200],
    ['W/"1,2"', 200],
    ['1', 200],
    ['W/1', 200],
  ])('If-None-Match %j: weak comparison over a list (RFC 7232) gives %i', (ifNoneMatch, status) => {
    const server = testServer('stu3');
    const response = server.request('GET', 'Patient/ruth', { headers: { ifNoneMatch } });
    expect(response.status).toBe(status);
    expect(response.headers?.['ETag']).toBe('W/"1"');
  });

  it('answers 404 for an unknown id or type, 400 for a malformed id, in the version\'s outcome shape', () => {
    const server = testServer('dstu2');
    const missing = server.request('GET', 'Patient/nobody');
    expect(missing.status).toBe(404);
    expect(server.body(missing)).toMatchObject({ resourceType: 'OperationOutcome', issue: [{ severity: 'error', code: 'not-found' }] });
    expect(validateResource('dstu2', server.body(missing))).toEqual([]);
    expect(server.request('GET', 'MedicationRequest/x').status).toBe(404);
    const malformed = server.request('GET', 'Patient/not$valid');
    expect(malformed.status).toBe(400);
    expect(server.body(malformed)).toMatchObject({ issue: [{ location: ['id'] }] });
    expect(server.body(malformed)['issue']).not.toContainEqual(expect.objectContaining({ expression: expect.anything() }));
  });

  it('does not serve history or vread', () => {
    const server = testServer('stu3');
    expect(server.request('GET', 'Patient/ruth/_history/1').status).toBe(400);
    expect(server.request('GET', 'Patient/ruth/_history').status).toBe(400);
  });
});

describe('create', () => {
  it('assigns an id, answers 201 with Location, ETag and the stored resource, and the resource is searchable', () => {
    const server = testServer('stu3');
    const response = server.request('POST', 'Patient', { body: { resourceType: 'Patient', id: 'ignored', name: [{ family: 'Nova' }] } });
    expect(response.status).toBe(201);
    const created = server.body(response);
    expect(created.id).not.toBe('ignored');
    expect(response.headers?.['Location']).toBe(`${server.baseUrl}/Patient/${created.id}/_history/1`);
    expect(response.headers?.['ETag']).toBe('W/"1"');
    const found = server.body(server.request('GET', 'Patient', { params: [['family', 'nova']] }));
    expect(found['total']).toBe(1);
  });

  it('answers without a body under Prefer: return=minimal', () => {
    const server = testServer('stu3');
    const response = server.request('POST', 'Patient', { body: { resourceType: 'Patient' }, headers: { prefer: 'return=minimal' } });
    expect(response.status).toBe(201);
    expect(response.json).toBeUndefined();
    expect(response.headers?.['Location']).toBeDefined();
  });

  it('refuses a wrong resourceType (400) and an invalid resource (422) naming the element, storing nothing', () => {
    const server = testServer('stu3');
    const before = server.provider.store.count('Patient');
    const wrongType = server.request('POST', 'Patient', { body: { resourceType: 'Observation' } });
    expect(wrongType.status).toBe(400);
    expect(server.body(wrongType)).toMatchObject({ issue: [{ expression: ['Patient.resourceType'], location: ['Patient.resourceType'] }] });
    const invalid = server.request('POST', 'Patient', { body: { resourceType: 'Patient', gender: 'sometimes', birthDate: 'yesterday' } });
    expect(invalid.status).toBe(422);
    const expressions = (server.body(invalid)['issue'] as Array<{ expression: string[] }>).map((issue) => issue.expression[0]);
    expect(expressions).toEqual(expect.arrayContaining(['Patient.gender', 'Patient.birthDate']));
    expect(server.request('POST', 'Patient', { body: 'not json' }).status).toBe(400);
    expect(server.request('POST', 'Patient', { body: [stu3Ruth] }).status).toBe(400);
    expect(server.provider.store.count('Patient')).toBe(before);
  });
});

describe('update', () => {
  it('replaces with a new version (200), or creates with the client id (201)', () => {
    const server = testServer('stu3');
    const updated = server.request('PUT', 'Patient/ruth', { body: { ...stu3Ruth, gender: 'other' } });
    expect(updated.status).toBe(200);
    expect(updated.headers?.['ETag']).toBe('W/"2"');
    expect(server.body(server.request('GET', 'Patient/ruth'))).toMatchObject({ gender: 'other', meta: { versionId: '2' } });
    const created = server.request('PUT', 'Patient/newbie', { body: { resourceType: 'Patient', id: 'newbie' } });
    expect(created.status).toBe(201);
    expect(created.headers?.['Location']).toBe(`${server.baseUrl}/Patient/newbie/_history/1`);
  });

  it('honours If-Match: 412 on a stale or unknown version, success on the current one', () => {
    const server = testServer('stu3');
    const stale = server.request('PUT', 'Patient/ruth', { body: stu3Ruth, headers: { ifMatch: 'W/"9"' } });
    expect(stale.status).toBe(412);
    expect(server.body(stale)).toMatchObject({ issue: [{ code: 'conflict' }] });
    expect(server.request('PUT', 'Patient/ghost', { body: { ...stu3Ruth, id: 'ghost' }, headers: { ifMatch: 'W/"1"' } }).status).toBe(412);
    expect(server.request('PUT', 'Patient/ruth', { body: stu3Ruth, headers: { ifMatch: 'W/"1"' } }).status).toBe(200);
    expect(server.request('PUT', 'Patient/ruth', { body: stu3Ruth, headers: { ifMatch: '"2"' } }).status).toBe(200);
  });

  it('refuses a missing or mismatched body id', () => {
    const server = testServer('stu3');
    const { id: _id, ...withoutId } = stu3Ruth;
    const missing = server.request('PUT', 'Patient/ruth', { body: withoutId });
    expect(missing.status).toBe(400);
    expect(server.body(missing)).toMatchObject({ issue: [{ expression: ['Patient.id'] }] });
    expect(server.request('PUT', 'Patient/ruth', { body: { ...stu3Ruth, id: 'zoe' } }).status).toBe(400);
    expect(server.body(server.request('GET', 'Patient/ruth'))['meta']).toMatchObject({ versionId: '1' });
  });
});

describe('delete', () => {
  it('answers 204, then 410 Gone on read, 204 again on a repeat, 404 for an id never seen', () => {
    const server = testServer('stu3');
    expect(server.request('DELETE', 'Patient/ruth').status).toBe(204);
    const read = server.request('GET', 'Patient/ruth');
    expect(read.status).toBe(410);
    expect(server.request('DELETE', 'Patient/ruth').status).toBe(204);
    expect(server.request('DELETE', 'Patient/never').status).toBe(404);
    expect(server.body(server.request('GET', 'Patient', { params: [['_id', 'ruth']] }))['total']).toBe(0);
  });

  it.each([
    ['stu3', 'Patient/ruth'],
    ['dstu2', 'Patient/hugh'],
  ] as const)('410 on %s carries an issue type of its own value set (processing: "deleted" is R4 on)', (version, path) => {
    const server = testServer(version);
    server.request('DELETE', path);
    const outcome = server.body(server.request('GET', path));
    expect(outcome).toMatchObject({ resourceType: 'OperationOutcome', issue: [{ severity: 'error', code: 'processing' }] });
    expect(validateResource(version, outcome)).toEqual([]);
  });

  it('410 on R4 says "deleted", an issue type R4 has', () => {
    const server = testServer('r4');
    server.request('DELETE', 'Patient/ruth');
    const outcome = server.body(server.request('GET', 'Patient/ruth'));
    expect(outcome).toMatchObject({ resourceType: 'OperationOutcome', issue: [{ severity: 'error', code: 'deleted' }] });
    expect(validateResource('r4', outcome)).toEqual([]);
  });

  it('honours If-Match', () => {
    const server = testServer('stu3');
    expect(server.request('DELETE', 'Patient/ruth', { headers: { ifMatch: 'W/"5"' } }).status).toBe(412);
    expect(server.request('DELETE', 'Patient/ruth', { headers: { ifMatch: 'W/"1"' } }).status).toBe(204);
  });
});

describe('read-only providers', () => {
  it('refuse every write with 405 and change nothing', () => {
    const server = testServer('dstu2', { readOnly: true });
    const attempts: Array<[Parameters<typeof server.request>[0], string, unknown]> = [
      ['POST', 'Patient', { resourceType: 'Patient' }],
      ['PUT', 'Patient/hugh', { resourceType: 'Patient', id: 'hugh' }],
      ['DELETE', 'Patient/hugh', undefined],
    ];
    for (const [method, path, body] of attempts) {
      const response = server.request(method, path, { body });
      expect(response.status).toBe(405);
      expect((server.body(response) as Resource).resourceType).toBe('OperationOutcome');
    }
    expect(server.request('GET', 'Patient/hugh').status).toBe(200);
  });
});
