import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { routeOf, type Route } from '../../src/fhir/handlers/route.js';

/** The general reading of a path (trim the slashes, split, look at the segments), the one routeOf's shortcut for `Type` and `Type/id` must agree with. */
function generalRoute(path: string): Route {
  const segments = path.replace(/^\/+|\/+$/g, '').split('/');
  const [first = '', second, third] = segments;
  if (first === '') return segments.length === 1 ? { kind: 'base' } : { kind: 'unknown' };
  if (segments.length === 1) return first === 'metadata' ? { kind: 'metadata' } : { kind: 'type', type: first };
  if (second === undefined || second === '') return { kind: 'unknown' };
  if (segments.length === 2) {
    return second === '_search' ? { kind: 'search', type: first } : second === '_history' ? { kind: 'history', type: first } : { kind: 'instance', type: first, id: second };
  }
  if (third === '_history') return { kind: 'history', type: first };
  return { kind: 'unknown' };
}

describe('routeOf', () => {
  it('reads any path as the general reading does', () => {
    const segment = fc.oneof(fc.constantFrom('', 'Patient', 'metadata', '_search', '_history', 'p-1', '1'), fc.string({ unit: fc.constantFrom('a', '/', '_', '.'), maxLength: 4 }));
    fc.assert(
      fc.property(fc.array(segment, { maxLength: 4 }), (segments) => {
        const path = segments.join('/');
        expect(routeOf(path)).toEqual(generalRoute(path));
      }),
      { seed: 20261203, numRuns: 2000 },
    );
  });

  it('reads the usual paths', () => {
    expect(routeOf('Observation')).toEqual({ kind: 'type', type: 'Observation' });
    expect(routeOf('Patient/_search')).toEqual({ kind: 'search', type: 'Patient' });
    expect(routeOf('Patient/p-1')).toEqual({ kind: 'instance', type: 'Patient', id: 'p-1' });
    expect(routeOf('')).toEqual({ kind: 'base' });
    expect(routeOf('/Patient/')).toEqual({ kind: 'type', type: 'Patient' });
  });
});
