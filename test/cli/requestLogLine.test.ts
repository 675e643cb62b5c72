import { describe, expect, it } from 'vitest';
import { requestLogLine } from '../../src/cli/requestLogLine.js';
import type { RequestFinishedEvent } from '../../src/events/types.js';
import { TIME, pinoShaped } from './pinoShapedLine.js';

// Every field the request lifecycle can set, in the order it sets them.
const EVERY_FIELD: RequestFinishedEvent = {
  type: 'request',
  at: 1_796_100_000_000,
  requestId: 'r1z',
  method: 'GET',
  route: '/fhir/:version/:type/:id',
  path: '/fhir/stu3/Patient/p-1',
  status: 503,
  ms: 12.34,
  startedAt: 1_796_099_999_988,
  tenantId: 'b0000000-0000-4000-8000-000000000001',
  clientId: 'app',
  fault: 'slow patients',
  upstreamMs: 7.5,
  host: '127.0.0.1:8080',
  accept: 'application/fhir+json',
  query: '_format=json',
  fhirVersion: 'stu3',
  tokenJti: 'c0ffee00-1234-4567-89ab-cdef01234567',
  tokenRefused: 'expired',
  faultKind: 'error',
  clientClosed: true,
  nextLink: 'http://127.0.0.1:8080/fhir/stu3/Patient?_page=2',
  retryAfterSeconds: 2,
};

describe('requestLogLine', () => {
  it('writes every field the lifecycle sets, in its order, byte for byte as pino would', () => {
    expect(requestLogLine(EVERY_FIELD, 50, TIME)).toBe(pinoShaped(EVERY_FIELD, 50));
  });

  it('leaves out the fields a request did not have', () => {
    const { type, at, requestId, method, route, path, status, ms } = EVERY_FIELD;
    const bare: RequestFinishedEvent = { type, at, requestId, method, route, path, status, ms };
    expect(requestLogLine(bare, 30, TIME)).toBe(pinoShaped(bare, 30));
    const readEvent: RequestFinishedEvent = { ...bare, startedAt: 1, tenantId: 't', clientId: 'c', host: 'h', fhirVersion: 'r4', tokenJti: 'j' };
    expect(requestLogLine(readEvent, 30, TIME)).toBe(pinoShaped(readEvent, 30));
  });

  it('escapes what JSON must escape in any string field', () => {
    const odd: RequestFinishedEvent = { ...EVERY_FIELD, path: '/fhir/stu3/Patient/"quoted"\\\u2028', host: 'h\u0001', query: 'a="b"', accept: 'x\ny' };
    const line = requestLogLine(odd, 40, TIME);
    expect(line).toBe(pinoShaped(odd, 40));
    expect(JSON.parse(line)).toMatchObject({ path: odd.path, host: odd.host, query: odd.query, accept: odd.accept });
  });
});
