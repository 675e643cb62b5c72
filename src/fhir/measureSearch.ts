import { performance } from 'node:perf_hooks';
import { ManualClock } from '../lib/clock.js';
import { seededRandom } from '../lib/random.js';
import type { RandomSource } from '../lib/random.js';
import type { FhirProvider } from './fhirProvider.js';
import { handleFhirRequest } from './server.js';
import { ResourceStore } from './store/resourceStore.js';
import type { FhirVersion, Resource } from './types.js';
import { adapterFor } from './versions/index.js';

export interface SearchMeasurement {
  patients: number;
  searches: number;
  /** Distinct family names in the store. */
  distinctFamilies: number;
  loadMs: number;
  /** Latency of `Patient?family:contains=<3 letters>&_count=10` through handleFhirRequest, in µs. */
  p50Us: number;
  p95Us: number;
  /** Average `total` of those searches, to show how much each one matched. */
  meanTotal: number;
}

export interface MeasureOptions {
  patients: number;
  searches?: number;
  version?: FhirVersion;
  seed?: number;
}

const SYLLABLES = ['an', 'ber', 'cha', 'dor', 'el', 'fin', 'gar', 'hol', 'ing', 'jon', 'kel', 'lam', 'mor', 'nel', 'ost', 'par', 'quin', 'ros', 'son', 'tay', 'ul', 'ven', 'wil', 'yor', 'zim'];
const GIVEN = ['Ruth', 'Hugh', 'Daniel', 'Zoë', 'Amara', 'Jonas', 'Mei', 'Olu', 'Sara', 'Tomás', 'Ines', 'Kwame'];

/**
 * Builds a store of `patients` minimal synthetic patients (family names from a few thousand
 * combinations, as real surnames repeat) and times family-substring searches, the partner
 * client's patient lookup. `npm run bench` prints the result.
 */
export function measureSearch(options: MeasureOptions): SearchMeasurement {
  const random = seededRandom(options.seed ?? 42);
  const version = options.version ?? 'stu3';
  const clock = new ManualClock();
  const adapter = adapterFor(version);
  const store = new ResourceStore(adapter, clock);
  const families: string[] = [];
  const loadStart = performance.now();
  for (let i = 0; i < options.patients; i++) {
    const family = familyName(random);
    families.push(family);
    store.add(syntheticPatient(version, i, family, pick(random, GIVEN)));
  }
  const loadMs = performance.now() - loadStart;
  const provider: FhirProvider = { adapter, store, readOnly: true, clock };
  const searches = options.searches ?? 1000;
  const search = (): Buffer => {
    const family = pick(random, families).toLowerCase();
    const from = Math.floor(random.next() * Math.max(1, family.length - 2));
    const params: Array<[string, string]> = [['family:contains', family.slice(from, from + 3)], ['_count', '10']];
    const response = handleFhirRequest({ method: 'GET', path: 'Patient', params, headers: {}, baseUrl: `http://localhost/fhir/${version}` }, provider);
    return response.json ?? Buffer.alloc(0);
  };
  // The first round warms the JIT and tells how much the searches match; the second is timed.
  let totals = 0;
  for (let i = 0; i < searches; i++) totals += totalOf(search());
  const timings: number[] = [];
  for (let i = 0; i < searches; i++) {
    const began = performance.now();
    search();
    timings.push((performance.now() - began) * 1000);
  }
  timings.sort((a, b) => a - b);
  return {
    patients: options.patients,
    searches,
    distinctFamilies: new Set(families).size,
    loadMs: Math.round(loadMs),
    p50Us: Math.round(percentile(timings, 0.5)),
    p95Us: Math.round(percentile(timings, 0.95)),
    meanTotal: Math.round(totals / searches),
  };
}

function syntheticPatient(version: FhirVersion, index: number, family: string, given: string): Resource {
  return {
    resourceType: 'Patient',
    id: `p${index}`,
    identifier: [{ system: 'urn:oid:2.16.840.1.113883.19.5', value: String(1_000_000 + index) }],
    name: [{ family: version === 'dstu2' ? [family] : family, given: [given] }],
    gender: index % 2 === 0 ? 'female' : 'male',
    birthDate: `19${String(20 + (index % 80)).padStart(2, '0')}-0${1 + (index % 9)}-1${index % 10}`,
  };
}

function familyName(random: RandomSource): string {
  const name = pick(random, SYLLABLES) + pick(random, SYLLABLES) + (random.next() < 0.3 ? pick(random, SYLLABLES) : '');
  return name.charAt(0).toUpperCase() + name.slice(1);
}

function pick<T>(random: RandomSource, items: readonly T[]): T {
  return items[Math.floor(random.next() * items.length)] as T;
}

function totalOf(bundleJson: Buffer): number {
  const match = /"total":(\d+)/.exec(bundleJson.toString());
  return match === null ? 0 : Number(match[1]);
}

function percentile(sorted: readonly number[], fraction: number): number {
  if (sorted.length === 0) return 0;
  return sorted[Math.min(sorted.length - 1, Math.floor(sorted.length * fraction))] as number;
}
