import { describe, expect, it } from 'vitest';
import { measureGeneration } from '../../src/data/measureGeneration.js';

describe('measureGeneration', () => {
  it('reports speed, resources and heap per patient for a small run', async () => {
    const measurement = await measureGeneration(100);
    expect(measurement.patientsPerSecond).toBeGreaterThan(0);
    expect(measurement.resourcesPerPatient).toBeGreaterThan(30);
    expect(measurement.resourcesPerPatient).toBeLessThan(45);
    expect(measurement.bytesPerPatient).toBeGreaterThan(10_000);
  });

  it('refuses a patient count that is not a positive integer', async () => {
    await expect(measureGeneration(0)).rejects.toThrow(TypeError);
  });
});
