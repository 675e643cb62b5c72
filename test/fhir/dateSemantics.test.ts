import { describe, expect, it } from 'vitest';
import { dateConditionHolds } from '../../src/fhir/search/dateCondition.js';
import type { DatePrefix } from '../../src/fhir/search/searchQuery.js';
import { parseDateRange } from '../../src/fhir/text/dateRange.js';
import { normalizeText } from '../../src/fhir/text/normalizeText.js';

function range(text: string) {
  const parsed = parseDateRange(text);
  if (parsed === undefined) throw new Error(`unparsable ${text}`);
  return parsed;
}

/** Whether a resource date `value` meets `prefix` + `query` (both FHIR date strings). */
function holds(prefix: DatePrefix, query: string, value: string): boolean {
  const { start, end } = range(value);
  return dateConditionHolds({ prefix, range: range(query) }, start, end);
}

describe('parseDateRange', () => {
  it('turns each precision into a half-open range', () => {
    expect(range('2024')).toEqual({ start: Date.UTC(2024, 0, 1), end: Date.UTC(2025, 0, 1) });
    expect(range('2024-02')).toEqual({ start: Date.UTC(2024, 1, 1), end: Date.UTC(2024, 2, 1) });
    expect(range('2024-02-29')).toEqual({ start: Date.UTC(2024, 1, 29), end: Date.UTC(2024, 2, 1) });
    expect(range('2024-02-29T10:15')).toEqual({ start: Date.UTC(2024, 1, 29, 10, 15), end: Date.UTC(2024, 1, 29, 10, 16) });
    expect(range('2024-02-29T10:15:30Z')).toEqual({ start: Date.UTC(2024, 1, 29, 10, 15, 30), end: Date.UTC(2024, 1, 29, 10, 15, 31) });
    expect(range('2024-02-29T10:15:30.250+02:00').start).toBe(Date.UTC(2024, 1, 29, 8, 15, 30, 250));
  });

  it('rejects impossible dates', () => {
    for (const bad of ['2023-02-29', '2024-00-10', '2024-1-1', '24', '2024-02-29T25:00', 'today']) {
      expect(parseDateRange(bad)).toBeUndefined();
    }
  });
});

describe('date prefixes use range semantics', () => {
  it('eq: the value lies within the query range (partial dates included)', () => {
    expect(holds('eq', '1951', '1951-08-23')).toBe(true);
    expect(holds('eq', '1951-08', '1951-08-23')).toBe(true);
    expect(holds('eq', '1951-08-23', '1951-08-23')).toBe(true);
    expect(holds('eq', '1951-08-24', '1951-08-23')).toBe(false);
    expect(holds('eq', '1951-08-23', '1951')).toBe(false);
  });

  it('ne is the opposite of eq', () => {
    expect(holds('ne', '1951-08-23', '1951-08-23')).toBe(false);
    expect(holds('ne', '1951-08-24', '1951-08-23')).toBe(true);
  });

  it('gt, ge, lt, le compare against the ends of the query range', () => {
    expect(holds('gt', '1951', '1952-01-01')).toBe(true);
    expect(holds('gt', '1951', '1951-12-31')).toBe(false);
    expect(holds('ge', '1951', '1951-01-01')).toBe(true);
    expect(holds('ge', '1951', '1950-12-31')).toBe(false);
    expect(holds('lt', '1951', '1950-12-31')).toBe(true);
    expect(holds('lt', '1951', '1951-06-01')).toBe(false);
    expect(holds('le', '1951', '1951-06-01')).toBe(true);
    expect(holds('le', '1951', '1952-06-01')).toBe(false);
  });

  it('sa and eb need no overlap at all', () => {
    expect(holds('sa', '2024-03', '2024-04-01')).toBe(true);
    expect(holds('sa', '2024-03', '2024-03-31')).toBe(false);
    expect(holds('eb', '2024-03', '2024-02-29')).toBe(true);
    expect(holds('eb', '2024-03', '2024-03-01')).toBe(false);
  });

  it('an open period end reaches every later date', () => {
    const openStart = range('2025-12-30T08:00:00Z').start;
    expect(dateConditionHolds({ prefix: 'gt', range: range('2026') }, openStart, Infinity)).toBe(true);
    expect(dateConditionHolds({ prefix: 'eq', range: range('2026') }, openStart, Infinity)).toBe(false);
  });
});

describe('normalizeText', () => {
  it('lower-cases and strips accents', () => {
    expect(normalizeText('Zoë')).toBe('zoe');
    expect(normalizeText('ÉLODIE Müller-Ñúñez')).toBe('elodie muller-nunez');
    expect(normalizeText('Black')).toBe('black');
  });
});
