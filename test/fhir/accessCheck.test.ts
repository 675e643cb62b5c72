import { describe, expect, it } from 'vitest';
import type { AccessCheck, AccessInteraction, Resource } from '../../src/fhir/types.js';
import { validateResource } from '../../src/fhir/validation/validateResource.js';
import { testServer } from './fixtures.js';

/** A predicate that allows exactly the listed "interaction Type" pairs, and records every question. */
function allowOnly(...allowed: string[]): AccessCheck & { asked: string[] } {
  const asked: string[] = [];
  const check = (interaction: AccessInteraction, type: string) => {
    asked.push(`${interaction} ${type}`);
    return allowed.includes(`${interaction} ${type}`);
  };
  return Object.assign(check, { asked });
}

type Entry = { resource?: Resource; response: { status: string } };

describe('the FHIR core asks its access predicate before every interaction', () => {
  it('maps each method and path to one interaction, and answers 403 forbidden when it is refused', () => {
    const server = testServer('stu3');
    const permits = allowOnly();
    server.provider.permits = permits;
    const cases: Array<[Parameters<typeof server.request>[0], string, string]> = [
      ['GET', 'Patient/ruth', 'read Patient'],
      ['GET', 'Observation', 'search Observation'],
      ['POST', 'Observation/_search', 'search Observation'],
      ['POST', 'Patient', 'create Patient'],
      ['PUT', 'Patient/ruth', 'update Patient'],
      ['DELETE', 'Patient/ruth', 'delete Patient'],
      ['GET', 'Patient/ruth/_history/1', 'read Patient'],
    ];
    for (const [method, path, question] of cases) {
      permits.asked.length = 0;
      const response = server.request(method, path, { body: method === 'POST' || method === 'PUT' ? { resourceType: 'Patient', id: 'ruth' } : undefined });
      expect(permits.asked, `${method} ${path}`).toEqual([question]);
      expect(response.status, `${method} ${path}`).toBe(403);
      const outcome = server.body(response);
      expect(outcome).toMatchObject({ resourceType: 'OperationOutcome', issue: [{ severity: 'error', code: 'forbidden' }] });
      expect(validateResource('stu3', outcome)).toEqual([]);
    }
  });

  it('serves what the predicate allows, and checks an unknown type (404) before access', () => {
    const server = testServer('dstu2');
    server.provider.permits = allowOnly('read Patient');
    expect(server.request('GET', 'Patient/hugh').status).toBe(200);
    expect(server.request('GET', 'Patient').status).toBe(403);
    expect(server.request('GET', 'Spaceship/1').status).toBe(404);
  });

  it('checks each batch entry on its own: a refused entry gets its own 403, the others are served', () => {
    const server = testServer('stu3');
    server.provider.permits = allowOnly('search Observation', 'read Patient');
    const response = server.request('POST', '', {
      body: {
        resourceType: 'Bundle',
        type: 'batch',
        entry: [
          { request: { method: 'GET', url: 'Observation?patient=ruth' } },
          { request: { method: 'GET', url: 'Condition?patient=ruth' } },
          { request: { method: 'GET', url: 'Patient/ruth' } },
          { request: { method: 'DELETE', url: 'Patient/ruth' } },
        ],
      },
    });
    expect(response.status).toBe(200);
    const bundle = server.body(response);
    const entries = bundle['entry'] as Entry[];
    expect(entries.map((entry) => entry.response.status)).toEqual(['200 OK', '403 Forbidden', '200 OK', '403 Forbidden']);
    expect(entries[1]?.resource).toMatchObject({ resourceType: 'OperationOutcome', issue: [{ code: 'forbidden' }] });
    expect(validateResource('stu3', bundle)).toEqual([]);
    // The refused delete did nothing.
    expect(server.request('GET', 'Patient/ruth').status).toBe(200);
  });

  it('without a predicate everything is allowed, as before', () => {
    const server = testServer('stu3');
    expect(server.request('GET', 'Condition').status).toBe(200);
    expect(server.request('DELETE', 'Patient/zoe').status).toBe(204);
  });
});
