import { describe, expect, it } from 'vitest';
import { validateResource } from '../../src/fhir/validation/validateResource.js';
import { dstu2Observation, dstu2Patient, searchset, stu3Observation, stu3Patient } from './fixtures.js';

const RUNS = 2000;

function averageMs(run: () => void): number {
  run();
  const started = performance.now();
  for (let i = 0; i < RUNS; i++) run();
  return (performance.now() - started) / RUNS;
}

describe('validation speed after warm-up', () => {
  it('takes well under a millisecond per typical resource, and per small search Bundle', () => {
    const cases = [
      (): unknown => validateResource('stu3', stu3Patient),
      (): unknown => validateResource('stu3', stu3Observation),
      (): unknown => validateResource('dstu2', dstu2Patient),
      (): unknown => validateResource('dstu2', dstu2Observation),
      (): unknown => validateResource('stu3', searchset('http://x', [stu3Patient, stu3Observation, stu3Observation])),
    ];
    for (const run of cases) expect(averageMs(run)).toBeLessThan(0.25);
  });
});
