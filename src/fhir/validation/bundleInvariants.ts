import type { FhirVersion } from '../types.js';
import type { ValidationIssue } from './validateResource.js';

type Entry = Record<string, unknown>;

/** A Bundle rule about its entries that a JSON Schema cannot express. */
interface EntryInvariant {
  key: string;
  holds(entry: Entry): boolean;
  message: string;
}

/** DSTU2 bdl-6: "The fullUrl element must be present when a resource is present, and not present otherwise". */
const FULL_URL_WITH_RESOURCE: EntryInvariant = {
  key: 'bdl-6',
  holds: (entry) => (entry['fullUrl'] !== undefined) === (entry['resource'] !== undefined),
  message: 'fullUrl must be present when a resource is present, and not present otherwise',
};

const ENTRY_INVARIANTS: Readonly<Record<FhirVersion, readonly EntryInvariant[]>> = {
  dstu2: [FULL_URL_WITH_RESOURCE],
  stu3: [],
  // STU3 and R4 relaxed bdl-6: an entry may hold a resource without a fullUrl (the sandbox still writes one).
  r4: [],
};

/**
 * Checks the version's entry invariants on a Bundle and on every Bundle inside its entries (a
 * batch-response holds searchsets). Runs after the schema check, so shapes are already known.
 */
export function checkBundleInvariants(version: FhirVersion, value: unknown, path: string, issues: ValidationIssue[]): void {
  if (!isBundle(value)) return;
  const entries = Array.isArray(value['entry']) ? (value['entry'] as unknown[]) : [];
  entries.forEach((entry, index) => {
    if (entry === null || typeof entry !== 'object') return;
    const entryPath = `${path}.entry[${index}]`;
    for (const invariant of ENTRY_INVARIANTS[version]) {
      if (!invariant.holds(entry as Entry)) issues.push({ path: entryPath, message: `${invariant.key}: ${invariant.message}` });
    }
    checkBundleInvariants(version, (entry as Entry)['resource'], `${entryPath}.resource`, issues);
  });
}

function isBundle(value: unknown): value is Record<string, unknown> {
  return value !== null && typeof value === 'object' && (value as { resourceType?: unknown }).resourceType === 'Bundle';
}
