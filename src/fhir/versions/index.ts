import type { FhirVersion } from '../types.js';
import { dstu2Adapter } from './dstu2.js';
import { r4Adapter } from './r4.js';
import { stu3Adapter } from './stu3.js';
import type { VersionAdapter } from './versionAdapter.js';

const ADAPTERS: Readonly<Record<FhirVersion, VersionAdapter>> = { dstu2: dstu2Adapter, stu3: stu3Adapter, r4: r4Adapter };

export function adapterFor(version: FhirVersion): VersionAdapter {
  return ADAPTERS[version];
}
