import { describe, expect, it } from 'vitest';
import type { RequestFinishedEvent } from '../../src/events/types.js';
import type { GradedRequest } from '../../src/report/clientTraffic.js';
import { InternedColumn } from '../../src/report/internedColumn.js';
import { RequestTable } from '../../src/report/requestTable.js';

function event(index: number): RequestFinishedEvent {
  const request: RequestFinishedEvent = {
    type: 'request',
    at: 1_000 + index,
    requestId: `r${index.toString(36)}`,
    method: index % 3 === 0 ? 'POST' : 'GET',
    route: '/fhir/:version/:type/:id',
    // Every path different: the column's table of values must not keep the dropped ones.
    path: `/fhir/stu3/Patient/p-${index}`,
    status: index % 7 === 0 ? 429 : 200,
    ms: 0.25,
    fault: 'not graded',
    upstreamMs: 1,
  };
  if (index % 2 === 0) request.startedAt = 990 + index;
  if (index % 5 !== 0) request.tenantId = 't-1';
  request.clientId = `client-${index % 2}`;
  request.host = index % 4 === 0 ? 'a:1' : 'b:2';
  if (index % 6 === 0) request.accept = '*/*';
  if (index % 3 === 0) request.query = `name=x${index}`;
  request.fhirVersion = 'stu3';
  request.tokenJti = `jti-${Math.floor(index / 10)}`;
  if (index % 11 === 0) request.tokenRefused = 'expired';
  if (index % 7 === 0) {
    request.faultKind = 'error';
    request.retryAfterSeconds = index % 14 === 0 ? 0 : 2.5;
  }
  if (index % 13 === 0) request.clientClosed = true;
  if (index % 3 === 0) request.nextLink = `http://a:1/fhir/stu3/Patient?_page=${index}`;
  return request;
}

/** What grading reads of an event: all of it but its type, timings and fault rule name. */
function graded(request: RequestFinishedEvent): GradedRequest {
  const { type: _type, ms: _ms, fault: _fault, upstreamMs: _upstreamMs, ...fields } = request;
  return fields;
}

describe('RequestTable', () => {
  it('gives back every graded field of each request it kept, and only the fields the request had', () => {
    const table = new RequestTable();
    const events = Array.from({ length: 3_000 }, (_, index) => event(index));
    for (const request of events) table.append(request);
    expect(table.length).toBe(3_000);
    expect(table.rows()).toEqual(events.map(graded));
  });

  it('forgets the oldest rows, and the later ones (appended after too) stay whole', () => {
    const table = new RequestTable();
    for (let index = 0; index < 2_500; index++) table.append(event(index));
    table.dropOldest(2_000);
    for (let index = 2_500; index < 2_600; index++) table.append(event(index));
    expect(table.length).toBe(600);
    expect(table.rows()).toEqual(Array.from({ length: 600 }, (_, offset) => graded(event(2_000 + offset))));
  });
});

describe('InternedColumn', () => {
  it('keeps only the values its remaining rows use once it drops rows, and reads and writes on correctly after', () => {
    const column = new InternedColumn(8);
    const values = ['a', 'b', undefined, 'c', 'd', 'a', 'e', 'f'];
    values.forEach((value, row) => column.set(row, value));
    column.dropOldest(5, 8);
    expect([0, 1, 2].map((row) => column.get(row))).toEqual(['a', 'e', 'f']);
    column.set(3, 'a');
    column.set(4, 'b');
    column.set(5, undefined);
    expect([0, 1, 2, 3, 4, 5].map((row) => column.get(row))).toEqual(['a', 'e', 'f', 'a', 'b', undefined]);
  });
});
