import { describe, expect, it } from 'vitest';
import { requestLogLine } from '../../src/cli/requestLogLine.js';
import type { RequestFinishedEvent } from '../../src/events/types.js';
import { TIME, pinoShaped } from './pinoShapedLine.js';

// Every field present, in the order the request lifecycle sets them.
const EVERY_FIELD: RequestFinishedEvent = {
  type: 'request',
  at: 1_796_100_000_000,
  requestId: 'r1',
  method: 'GET',
  route: '/fhir/:version/:type/:id',
  path: '/fhir/stu3/Patient/p-1',
  status: 200,
  ms: 0.31,
  startedAt: 1_796_099_999_999,
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

// A value of each field's type that differs from EVERY_FIELD's.
const OTHER_VALUES: Partial<RequestFinishedEvent> = {
  method: 'POST',
  route: '/fhir/:version/:type/_search',
  path: '/fhir/stu3/Patient/p-2',
  status: 404,
  tenantId: 'other-tenant',
  clientId: 'other "client"',
  fault: 'flaky',
  upstreamMs: 0,
  host: 'localhost:8080',
  accept: '*/*',
  query: '_count=1',
  fhirVersion: 'r4',
  tokenJti: 'j-2',
  tokenRefused: 'revoked',
  faultKind: 'latency',
  clientClosed: false,
  nextLink: 'http://127.0.0.1:8080/fhir/stu3/Patient?_page=3',
  retryAfterSeconds: 3,
};

describe('requestLogLine: the text kept from the line before', () => {
  it('gives each line its own id, duration and start while the rest repeats', () => {
    for (let index = 0; index < 5; index++) {
      const event: RequestFinishedEvent = { ...EVERY_FIELD, requestId: `r${index}`, ms: index / 100, startedAt: EVERY_FIELD.at + index };
      expect(requestLogLine(event, 30, TIME)).toBe(pinoShaped(event, 30));
    }
  });

  it('writes a field that changed, then its value again once it changes back, one field at a time', () => {
    for (const [field, value] of Object.entries(OTHER_VALUES)) {
      const changed = { ...EVERY_FIELD, [field]: value } as RequestFinishedEvent;
      for (const event of [EVERY_FIELD, changed, changed, EVERY_FIELD]) expect(requestLogLine(event, 30, TIME), field).toBe(pinoShaped(event, 30));
    }
  });

  it('leaves a field out once it is gone, and writes it again when it comes back', () => {
    for (const field of Object.keys(OTHER_VALUES).filter((name) => !['method', 'route', 'path', 'status'].includes(name))) {
      const { [field as keyof RequestFinishedEvent]: _left, ...without } = EVERY_FIELD;
      for (const event of [EVERY_FIELD, without as RequestFinishedEvent, EVERY_FIELD]) expect(requestLogLine(event, 30, TIME), field).toBe(pinoShaped(event, 30));
    }
  });

  it('quotes a path that needs escaping in both path and msg, and a plain one after it plainly', () => {
    const odd = { ...EVERY_FIELD, path: '/fhir/stu3/Patient/"x"' };
    for (const event of [odd, EVERY_FIELD, odd]) expect(requestLogLine(event, 30, TIME)).toBe(pinoShaped(event, 30));
  });
});
