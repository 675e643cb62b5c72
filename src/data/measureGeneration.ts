import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import type { FhirVersion } from '../fhir/types.js';
import { generateTenantResources } from './generateTenantResources.js';

export interface GenerationMeasurement {
  /** Full records (story, rendering, JSON.stringify of every resource) per second on this thread. */
  patientsPerSecond: number;
  resourcesPerPatient: number;
  /** Heap held per patient when each resource is kept as its JSON.stringify string (the store keeps the same text as UTF-8 bytes, outside the heap). */
  bytesPerPatient: number;
}

const MEASURED_VERSIONS: readonly FhirVersion[] = ['dstu2', 'stu3'];

/**
 * Generates `patientCount` patients per FHIR version, twice.
 *
 * Speed pass: wall time to generate and JSON.stringify every resource, the strings dropped at once,
 * so the figure is the generator's cost and not the garbage collector's cost of retaining them
 * (which belongs to whoever keeps them).
 * Memory pass: every string kept in an array; heapUsed after a forced GC with all strings held,
 * minus heapUsed after a forced GC before generation, divided by the patients. The GC is node's
 * `--expose-gc` function, or, when node runs without that flag, the same function obtained by
 * setting the flag at run time: without a forced GC the difference would be noise.
 * The tenant's shared resources are left out of all figures; a store's index entries come on top.
 */
export async function measureGeneration(patientCount: number): Promise<GenerationMeasurement> {
  if (!Number.isInteger(patientCount) || patientCount < 1) {
    throw new TypeError(`patientCount must be a positive integer, got ${patientCount}`);
  }
  let elapsedMs = 0;
  let resources = 0;
  let heldBytes = 0;
  for (const fhirVersion of MEASURED_VERSIONS) {
    const speed = timeGeneration(fhirVersion, patientCount);
    elapsedMs += speed.elapsedMs;
    resources += speed.resources;
    await new Promise((resolve) => setImmediate(resolve));
    // A separate call, so the strings are unreachable before the next version is measured.
    heldBytes += heapHeldByStrings(fhirVersion, patientCount);
    await new Promise((resolve) => setImmediate(resolve));
  }
  const patients = patientCount * MEASURED_VERSIONS.length;
  return {
    patientsPerSecond: Math.round(patients / (elapsedMs / 1000)),
    resourcesPerPatient: Math.round((resources / patients) * 10) / 10,
    bytesPerPatient: Math.round(heldBytes / patients),
  };
}

function patientsOf(fhirVersion: FhirVersion, patientCount: number): Generator<unknown[]> {
  const generator = generateTenantResources({
    seed: 1,
    tenantId: `measure-${fhirVersion}`,
    providerName: 'Measurement General',
    fhirVersion,
    patientCount,
  });
  generator.next();
  return generator;
}

function timeGeneration(fhirVersion: FhirVersion, patientCount: number): { elapsedMs: number; resources: number } {
  const patients = patientsOf(fhirVersion, patientCount);
  let resources = 0;
  let characters = 0;
  const started = performance.now();
  for (const batch of patients) {
    for (const resource of batch) characters += JSON.stringify(resource).length;
    resources += batch.length;
  }
  const elapsedMs = performance.now() - started;
  if (characters === 0) throw new Error('generation produced no JSON');
  return { elapsedMs, resources };
}

function heapHeldByStrings(fhirVersion: FhirVersion, patientCount: number): number {
  const collectGarbage = garbageCollector();
  const patients = patientsOf(fhirVersion, patientCount);
  collectGarbage();
  const heapBefore = process.memoryUsage().heapUsed;
  const stored: string[] = [];
  for (const batch of patients) {
    for (const resource of batch) stored.push(JSON.stringify(resource));
  }
  collectGarbage();
  const held = process.memoryUsage().heapUsed - heapBefore;
  // Read the array after the heap, so it is certainly alive when measured.
  return stored.length > 0 ? held : 0;
}

function garbageCollector(): () => void {
  const exposed = (globalThis as { gc?: () => void }).gc;
  if (exposed) return exposed;
  setFlagsFromString('--expose-gc');
  return runInNewContext('gc') as () => void;
}
