import { describe, expect, it } from 'vitest';
import { fhirPattern } from '../../src/fhir/validation/lib/patterns.js';

const STU3_CODE = '[^\\s]+([\\s]?[^\\s]+)*';

describe('fhirPattern', () => {
  it('matches whole values only', () => {
    const date = fhirPattern('-?[0-9]{4}(-(0[1-9]|1[0-2])(-(0[0-9]|[1-2][0-9]|3[0-1]))?)?');
    expect(date.test('1951-08-23')).toBe(true);
    expect(date.test('1951-08-23x')).toBe(false);
    expect(date.test('x1951')).toBe(false);
  });

  it('runs the STU3 code pattern as a linear equivalent: same answers, no catastrophic backtracking', () => {
    const code = fhirPattern(STU3_CODE);
    const literal = new RegExp(`^(?:${STU3_CODE})$`);
    for (const sample of ['final', 'a b', 'mm[Hg]', ' a', 'a ', 'a  b', 'a\tb', '', 'x y z']) {
      expect(code.test(sample)).toBe(literal.test(sample));
    }
    const started = performance.now();
    expect(code.test(`${'a'.repeat(5000)}  `)).toBe(false);
    expect(performance.now() - started).toBeLessThan(50);
  });
});
