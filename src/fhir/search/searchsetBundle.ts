import type { StoredRecord } from '../store/storedRecord.js';
import { JsonBytesBuilder } from '../text/jsonBytesBuilder.js';
import { urnUuid } from '../text/urnUuid.js';
import type { Resource } from '../types.js';
import type { BundleLink } from './pagingLinks.js';

export interface SearchsetParts {
  baseUrl: string;
  resourceType: string;
  total: number;
  links: readonly BundleLink[];
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
 * A searchset Bundle as JSON bytes, the stored resources copied in as they are (no re-serialising).
 * Each entry is the same bytes around a record: `{"fullUrl":"<type URL>` is escaped and encoded
 * once per Bundle, then every entry costs a few copies and its id. The buffer is sized from those
 * parts, so a small Bundle comes from Node's shared pool and a large one is allocated once.
 */
export function searchsetBundleJson(parts: SearchsetParts): Buffer {
  const typeUrl = `${parts.baseUrl}/${parts.resourceType}/`;
  const header =
    `{"resourceType":"Bundle","meta":{"lastUpdated":${JSON.stringify(parts.lastUpdated)}},"type":"searchset",` +
    `"total":${parts.total},"link":${JSON.stringify(parts.links)}`;
  const entryStart = Buffer.from(`{"fullUrl":${JSON.stringify(typeUrl).slice(0, -1)}`);
  const outcomeEntry = parts.outcome === undefined ? undefined : outcomeEntryText(parts, typeUrl);
  const body = new JsonBytesBuilder(capacityFor(parts, header, entryStart, outcomeEntry)).text(header);
  if (parts.records.length === 0 && outcomeEntry === undefined) return body.text('}').toBuffer();
  body.text(',"entry":[');
  parts.records.forEach((record, index) => {
    if (index > 0) body.ascii(',');
    body.bytes(entryStart);
    if (PLAIN_ID.test(record.id)) body.ascii(record.id);
    else body.text(JSON.stringify(record.id).slice(1, -1));
    body.bytes(RESOURCE_KEY).bytes(record).bytes(MATCH_END);
  });
  if (outcomeEntry !== undefined) body.text(parts.records.length > 0 ? `,${outcomeEntry}` : outcomeEntry);
  return body.text(']}').toBuffer();
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
function capacityFor(parts: SearchsetParts, header: string, entryStart: Buffer, outcomeEntry: string | undefined): number {
  const entries = parts.records.length + (outcomeEntry === undefined ? 0 : 1);
  let bytes = Buffer.byteLength(header) + (entries === 0 ? '}'.length : ',"entry":['.length + (entries - 1) + ']}'.length);
  const entryBytes = entryStart.length + RESOURCE_KEY.length + MATCH_END.length;
  for (const record of parts.records) bytes += entryBytes + record.id.length + record.byteLength;
  if (outcomeEntry !== undefined) bytes += Buffer.byteLength(outcomeEntry);
  return bytes;
}
