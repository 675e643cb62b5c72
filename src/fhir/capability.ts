import { systemClock } from '../lib/clock.js';
import type { Clock } from '../lib/clock.js';
import { BULK_EXPORT_OPERATIONS } from './export/exportOperations.js';
import type { Resource } from './types.js';
import type { CapabilityDescription, TypeInteraction, VersionAdapter } from './versions/versionAdapter.js';

/** The caller's part of the description; the date, formats and resources are filled in here. */
export type CapabilityOptions = Omit<CapabilityDescription, 'date' | 'formats' | 'operations' | 'resources'> & {
  /** Stamps `date`; the system clock unless a test fixes it. */
  clock?: Clock;
};

const READ_INTERACTIONS: readonly TypeInteraction[] = ['read', 'search-type'];
const WRITE_INTERACTIONS: readonly TypeInteraction[] = ['read', 'search-type', 'create', 'update', 'delete'];

/** `_id` and `_lastUpdated` work on every type; the version adds its own parameters. */
const COMMON_SEARCH_PARAMS = [
  { name: '_id', type: 'token', documentation: 'Logical id of the resource (the non-standard `id` is accepted too)' },
  { name: '_lastUpdated', type: 'date', documentation: 'When the resource version last changed (meta.lastUpdated)' },
];

/** The metadata document (Conformance in DSTU2, CapabilityStatement from STU3 on): exactly what this server does. */
export function capabilityStatement(adapter: VersionAdapter, options: CapabilityOptions): Resource {
  return adapter.renderCapability({
    date: new Date((options.clock ?? systemClock).now()).toISOString(),
    baseUrl: options.baseUrl,
    tokenUrl: options.tokenUrl,
    authorizeUrl: options.authorizeUrl,
    readOnly: options.readOnly,
    softwareName: options.softwareName,
    softwareVersion: options.softwareVersion,
    // The version's own media type, which every answer carries, and the generic short form.
    formats: [adapter.mediaType, 'json'],
    operations: BULK_EXPORT_OPERATIONS,
    resources: adapter.resourceTypes.map((type) => ({
      type,
      interactions: options.readOnly ? READ_INTERACTIONS : WRITE_INTERACTIONS,
      searchParams: [
        ...COMMON_SEARCH_PARAMS,
        ...(adapter.searchParams[type] ?? []).map((param) => ({ name: param.name, type: param.type, documentation: param.documentation })),
      ],
    })),
  });
}
