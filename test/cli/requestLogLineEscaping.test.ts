import { describe, expect, it } from 'vitest';
import { requestLogLine } from '../../src/cli/requestLogLine.js';
import type { RequestFinishedEvent } from '../../src/events/types.js';
import { TIME, pinoShaped } from './pinoShapedLine.js';

const READ: RequestFinishedEvent = {
  type: 'request',
  at: 1_796_100_000_000,
  requestId: 'r2a',
  method: 'GET',
  route: '/fhir/:version/:type/:id',
  path: '/fhir/stu3/Patient/p-1',
  status: 200,
  ms: 0.31,
  startedAt: 1_796_099_999_999,
  tenantId: 'b0000000-0000-4000-8000-000000000001',
  clientId: 'app',
  host: '127.0.0.1:8080',
  accept: 'application/fhir+json',
  fhirVersion: 'stu3',
  tokenJti: 'c0ffee00-1234-4567-89ab-cdef01234567',
};

// Every optional field present, in the order the request lifecycle sets them, so replacing one keeps the order.
const EVERY_FIELD: RequestFinishedEvent = {
  type: 'request',
  at: 1_796_100_000_000,
  requestId: 'r2a',
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

const ODD_TEXTS = {
  quotes: 'say "hi"',
  backslash: 'a\\b',
  'control characters': 'tab\there\u0000nul\u001fend\r\n',
  'non-ASCII': 'Müller-Ørsted 名前 🩺',
  'line and paragraph separators': 'a\u2028b\u2029c',
  'a lone high surrogate': 'x\ud800y',
  'a lone low surrogate': '\udfffz',
  DEL: 'del\u007f',
};

describe('requestLogLine: escaping, byte for byte as pino', () => {
  for (const [name, text] of Object.entries(ODD_TEXTS)) {
    it(`writes ${name} in any string field as JSON does`, () => {
      for (const field of ['requestId', 'method', 'route', 'path', 'tenantId', 'clientId', 'host', 'accept', 'query', 'fhirVersion', 'tokenJti', 'tokenRefused', 'faultKind', 'fault', 'nextLink'] as const) {
        const odd: RequestFinishedEvent = { ...EVERY_FIELD, [field]: text };
        const line = requestLogLine(odd, 30, TIME);
        expect(line, field).toBe(pinoShaped(odd, 30));
        expect((JSON.parse(line) as Record<string, unknown>)[field], field).toBe(text);
      }
    });
  }

  it('writes a long path (and its msg) whole', () => {
    const long: RequestFinishedEvent = { ...EVERY_FIELD, path: `/fhir/stu3/Patient/${'a'.repeat(20_000)}`, query: `name=${'b'.repeat(8_000)}` };
    const line = requestLogLine(long, 30, TIME);
    expect(line).toBe(pinoShaped(long, 30));
    expect(line.endsWith('\n')).toBe(true);
    expect(line.indexOf('\n')).toBe(line.length - 1);
  });

  it('gives each line its own values when consecutive requests differ in any field', () => {
    const variants: RequestFinishedEvent[] = [
      READ,
      { ...READ, requestId: 'r2b', tenantId: 'other-tenant', clientId: 'other "client"' },
      { ...READ, requestId: 'r2c', method: 'POST', route: '/fhir/:version/:type/_search', host: 'LOCALHOST:8080', accept: '*/*' },
      { ...READ, requestId: 'r2d', fhirVersion: 'r4', tokenJti: 'j-2', status: 404 },
      READ,
      { ...READ, requestId: 'r2e', method: 'G\u0001T' },
      READ,
    ];
    for (const event of variants) expect(requestLogLine(event, event.status >= 400 ? 40 : 30, TIME)).toBe(pinoShaped(event, event.status >= 400 ? 40 : 30));
  });

  it('writes each level and time it is given', () => {
    expect(requestLogLine(READ, 30, TIME)).toBe(pinoShaped(READ, 30));
    const later = '2026-12-01T10:00:00.001Z';
    expect(requestLogLine(READ, 50, later)).toBe(pinoShaped(READ, 50).replace(TIME, later));
  });
});
