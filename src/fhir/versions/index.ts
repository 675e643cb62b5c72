import type { FhirVersion } from '../types.js';
import { dstu2Adapter } from './dstu2.js';
import { stu3Adapter } from './stu3.js';
import type { VersionAdapter } from './versionAdapter.js';

const ADAPTERS: Readonly<Record<FhirVersion, VersionAdapter>> = { dstu2: dstu2Adapter, stu3: stu3Adapter };

export function adapterFor(version: FhirVersion): VersionAdapter {
  return ADAPTERS[version];
}
