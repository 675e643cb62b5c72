import { describe, expect, it } from 'vitest';
import { InternedColumn } from '../../src/report/internedColumn.js';

describe('InternedColumn', () => {
  it('gives back each row its value, the empty string and absent ones included, repeated or not', () => {
    const values = ['', undefined, '', 'a', 'a', undefined, 'b', '', 'a', undefined, undefined, 'b', 'b', ''];
    const column = new InternedColumn(values.length);
    values.forEach((value, row) => column.set(row, value));
    expect(values.map((_value, row) => column.get(row))).toEqual(values);
  });

  it('keeps the rows it moves to the front, and the value at hand, after dropping the oldest', () => {
    const values = ['x', 'y', 'y', '', 'z', 'z'];
    const column = new InternedColumn(16);
    values.forEach((value, row) => column.set(row, value));
    column.dropOldest(4, values.length);
    column.set(2, 'z');
    column.set(3, '');
    column.set(4, 'x');
    expect([0, 1, 2, 3, 4].map((row) => column.get(row))).toEqual(['z', 'z', 'z', '', 'x']);
  });
});
