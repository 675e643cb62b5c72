import type { StoredRecord } from '../store/storedRecord.js';
import type { JsonBytesBuilder } from '../text/jsonBytesBuilder.js';
import type { JsonPart } from '../text/jsonPart.js';
import { urnUuid } from '../text/urnUuid.js';
import type { Resource } from '../types.js';
import type { BundleLink } from './pagingLinks.js';

export interface SearchsetParts {
  baseUrl: string;
  resourceType: string;
  total: number;
  links: readonly BundleLink[];
  /** The same links as JSON text, when the caller wrote it with them (searchLinks does); else they are serialised here. */
  linksJson?: string;
  records: readonly StoredRecord[];
  /** Warnings about ignored parameters, sent as an entry with search.mode "outcome". */
  outcome?: Resource;
  lastUpdated: string;
}

// FHIR's id pattern: such an id needs no JSON escaping and is ASCII.
const PLAIN_ID = /^[A-Za-z0-9\-.]{1,64}$/;
const RESOURCE_KEY = Buffer.from('","resource":');
const MATCH_END = Buffer.from(',"search":{"mode":"match"}}');

/**
 * A searchset Bundle as JSON, the stored resources copied in as they are (no re-serialising).
 * Each entry is the same bytes around a record: `{"fullUrl":"<type URL>` is escaped and encoded
 * once per Bundle, then every entry costs a few copies and its id. The part knows its size, so
 * whoever writes it (alone, or inside a batch's answer) allocates once.
 */
export function searchsetBundle(parts: SearchsetParts): JsonPart {
  const typeUrl = `${parts.baseUrl}/${parts.resourceType}/`;
  const header =
    `{"resourceType":"Bundle","meta":{"lastUpdated":${JSON.stringify(parts.lastUpdated)}},"type":"searchset",` +
    `"total":${parts.total},"link":${parts.linksJson ?? JSON.stringify(parts.links)}`;
  const entryStart = Buffer.from(`{"fullUrl":${JSON.stringify(typeUrl).slice(0, -1)}`);
  const outcomeEntry = parts.outcome === undefined ? undefined : outcomeEntryText(parts, typeUrl);
  return {
    byteLength: byteLengthOf(parts, header, entryStart, outcomeEntry),
    writeTo: (body) => writeSearchset(body, parts.records, header, entryStart, outcomeEntry),
  };
}

function writeSearchset(body: JsonBytesBuilder, records: readonly StoredRecord[], header: string, entryStart: Buffer, outcomeEntry: string | undefined): void {
  body.text(header);
  if (records.length === 0 && outcomeEntry === undefined) {
    body.text('}');
    return;
  }
  body.text(',"entry":[');
  records.forEach((record, index) => {
    if (index > 0) body.ascii(',');
    body.bytes(entryStart);
    if (PLAIN_ID.test(record.id)) body.ascii(record.id);
    else body.text(JSON.stringify(record.id).slice(1, -1));
    body.bytes(RESOURCE_KEY).bytes(record).bytes(MATCH_END);
  });
  if (outcomeEntry !== undefined) body.text(records.length > 0 ? `,${outcomeEntry}` : outcomeEntry);
  body.text(']}');
}

/** The warnings' entry. Every entry with a resource has a fullUrl (DSTU2 bdl-6); the outcome has no URL of its own. */
function outcomeEntryText(parts: SearchsetParts, typeUrl: string): string {
  const self = parts.links.find((link) => link.relation === 'self')?.url ?? typeUrl;
  const fullUrl = urnUuid(`${parts.lastUpdated} ${self} outcome`);
  return `{"fullUrl":${JSON.stringify(fullUrl)},"resource":${JSON.stringify(parts.outcome)},"search":{"mode":"outcome"}}`;
}

/**
 * The Bundle's size: exact when every id has FHIR's id pattern (ASCII, nothing to escape) and the
 * rest of the text is measured; an odd id or a long outcome makes the builder grow, never overflow.
 */
function byteLengthOf(parts: SearchsetParts, header: string, entryStart: Buffer, outcomeEntry: string | undefined): number {
  const entries = parts.records.length + (outcomeEntry === undefined ? 0 : 1);
  let bytes = Buffer.byteLength(header) + (entries === 0 ? '}'.length : ',"entry":['.length + (entries - 1) + ']}'.length);
  const entryBytes = entryStart.length + RESOURCE_KEY.length + MATCH_END.length;
  for (const record of parts.records) bytes += entryBytes + record.id.length + record.byteLength;
  if (outcomeEntry !== undefined) bytes += Buffer.byteLength(outcomeEntry);
  return bytes;
}
