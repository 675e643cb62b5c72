import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { formatRequestId, requestIdCounter, requestIds } from '../../src/http/requestIds.js';
import { RareColumn } from '../../src/report/rareColumn.js';
import { RequestIdColumn } from '../../src/report/requestIdColumn.js';

describe('request ids as counters', () => {
  it('gives back the counter of every id the app hands out', () => {
    const next = requestIds();
    for (let counter = 1; counter <= 5_000; counter++) expect(requestIdCounter(next())).toBe(counter);
  });

  it('reads a counter from exactly the texts formatRequestId writes', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: Number.MAX_SAFE_INTEGER }), (counter) => {
        const id = formatRequestId(counter);
        if (id.length <= 11) expect(requestIdCounter(id)).toBe(counter);
        else expect(requestIdCounter(id)).toBeUndefined();
      }),
    );
    fc.assert(
      fc.property(fc.oneof(fc.string({ maxLength: 13 }), fc.stringMatching(/^[rR][0-9a-zA-Z]{0,12}$/)), (text) => {
        const counter = requestIdCounter(text);
        if (counter !== undefined) expect(formatRequestId(counter)).toBe(text);
      }),
      { numRuns: 5_000 },
    );
  });

  it.each(['', 'r', 'r0', 'r01', 'R1', 'r1A', 'r-1', 'x1', 'r1 ', 'rzzzzzzzzzzz'])('leaves %j as text', (text) => {
    expect(requestIdCounter(text)).toBeUndefined();
  });
});

describe('RequestIdColumn', () => {
  it('gives back counters and other ids alike, before and after dropping rows and growing', () => {
    const ids = ['r1', 'custom-id', 'r2', 'r01', '', 'rzz', 'R3', 'r4'];
    const column = new RequestIdColumn(4);
    ids.forEach((id, row) => {
      if (row === 4) column.grow(8);
      column.set(row, id);
    });
    expect(ids.map((_, row) => column.get(row))).toEqual(ids);
    column.dropOldest(3, ids.length);
    column.set(5, 'after');
    column.set(6, 'r9');
    expect([0, 1, 2, 3, 4, 5, 6].map((row) => column.get(row))).toEqual(['r01', '', 'rzz', 'R3', 'r4', 'after', 'r9']);
  });
});

describe('RareColumn', () => {
  it('keeps only the rows with a value and renumbers them when rows are dropped', () => {
    const column = new RareColumn();
    const values = [undefined, 'a', undefined, 'b', 'c', undefined];
    values.forEach((value, row) => column.set(row, value));
    expect(values.map((_, row) => column.get(row))).toEqual(values);
    column.dropOldest(2);
    column.set(4, 'd');
    expect([0, 1, 2, 3, 4].map((row) => column.get(row))).toEqual([undefined, 'b', 'c', undefined, 'd']);
  });
});
