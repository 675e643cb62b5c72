import { describe, expect, it } from 'vitest';
import { measureSearch } from '../../src/fhir/measureSearch.js';

describe('measureSearch', () => {
  it('builds a store of synthetic patients and reports family-substring search latency', () => {
    const result = measureSearch({ patients: 3000, searches: 50, version: 'dstu2' });
    expect(result).toMatchObject({ patients: 3000, searches: 50 });
    expect(result.distinctFamilies).toBeGreaterThan(300);
    expect(result.meanTotal).toBeGreaterThan(0);
    expect(result.p50Us).toBeGreaterThan(0);
    expect(result.p95Us).toBeGreaterThanOrEqual(result.p50Us);
  });
});
