import { jsonStringContent } from '../../lib/jsonString.js';
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

const RESOURCE_KEY = Buffer.from('","resource":');
const MATCH_END = ',"search":{"mode":"match"}}';

/**
 * A searchset Bundle as JSON, the stored resources copied in as they are (no re-serialising).
 * Each entry is the same bytes around a record: the text between two records (the end of one
 * entry, `,{"fullUrl":"<type URL>` of the next) is escaped and encoded once per type URL (see
 * entryPieces), so an entry costs that piece, its id, the resource key and the record's own
 * bytes. The part knows its size, so whoever writes it (alone, or inside a batch's answer)
 * allocates once.
 */
export function searchsetBundle(parts: SearchsetParts): JsonPart {
  const typeUrl = `${parts.baseUrl}/${parts.resourceType}/`;
  const header =
    `{"resourceType":"Bundle","meta":{"lastUpdated":"${jsonStringContent(parts.lastUpdated)}"},"type":"searchset",` +
    `"total":${parts.total},"link":${parts.linksJson ?? JSON.stringify(parts.links)}`;
  const pieces = parts.records.length === 0 ? undefined : entryPieces(typeUrl);
  const outcomeEntry = parts.outcome === undefined ? undefined : outcomeEntryText(parts, typeUrl);
  return {
    byteLength: byteLengthOf(parts, header, pieces, outcomeEntry),
    writeTo: (body) => writeSearchset(body, parts.records, header, pieces, outcomeEntry),
  };
}

/** `,"search":{"mode":"match"}},{"fullUrl":"<type URL>` as bytes, and its tail from `{"fullUrl"` on (the first entry's start). */
interface EntryPieces {
  between: Buffer;
  first: Buffer;
}

// The pieces of the type URLs searched lately, which are few (a base URL per origin and version,
// times the resource types), so most searches encode none. Bounded: cleared when full. The
// buffers are only ever read.
const PIECES_BY_TYPE_URL = new Map<string, EntryPieces>();
const REMEMBERED_TYPE_URLS = 256;

function entryPieces(typeUrl: string): EntryPieces {
  let pieces = PIECES_BY_TYPE_URL.get(typeUrl);
  if (pieces === undefined) {
    const between = Buffer.from(`${MATCH_END},{"fullUrl":"${jsonStringContent(typeUrl)}`);
    pieces = { between, first: between.subarray(MATCH_END.length + 1) };
    if (PIECES_BY_TYPE_URL.size >= REMEMBERED_TYPE_URLS) PIECES_BY_TYPE_URL.clear();
    PIECES_BY_TYPE_URL.set(typeUrl, pieces);
  }
  return pieces;
}

function writeSearchset(body: JsonBytesBuilder, records: readonly StoredRecord[], header: string, pieces: EntryPieces | undefined, outcomeEntry: string | undefined): void {
  body.text(header);
  if (pieces === undefined && outcomeEntry === undefined) {
    body.text('}');
    return;
  }
  body.text(',"entry":[');
  if (pieces !== undefined) {
    for (let index = 0; index < records.length; index++) {
      const record = records[index] as StoredRecord;
      body.bytes(index === 0 ? pieces.first : pieces.between);
      if (isPlainId(record.id)) body.ascii(record.id);
      else body.text(JSON.stringify(record.id).slice(1, -1));
      body.bytes(RESOURCE_KEY).bytes(record);
    }
    body.text(MATCH_END);
  }
  if (outcomeEntry !== undefined) body.text(pieces !== undefined ? `,${outcomeEntry}` : outcomeEntry);
  body.text(']}');
}

/**
 * FHIR's id pattern (`[A-Za-z0-9\-.]{1,64}`): such an id needs no JSON escaping and is ASCII. A
 * loop over its characters, which a Bundle of many entries runs once per entry, costs less than a regex call.
 */
function isPlainId(id: string): boolean {
  if (id.length === 0 || id.length > 64) return false;
  for (let i = 0; i < id.length; i++) {
    const code = id.charCodeAt(i);
    const plain = (code >= 48 && code <= 57) || (code >= 65 && code <= 90) || (code >= 97 && code <= 122) || code === 45 || code === 46;
    if (!plain) return false;
  }
  return true;
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
function byteLengthOf(parts: SearchsetParts, header: string, pieces: EntryPieces | undefined, outcomeEntry: string | undefined): number {
  const entries = parts.records.length + (outcomeEntry === undefined ? 0 : 1);
  let bytes = Buffer.byteLength(header) + (entries === 0 ? '}'.length : ',"entry":['.length + (entries - 1) + ']}'.length);
  if (pieces !== undefined) {
    const entryBytes = pieces.first.length + RESOURCE_KEY.length + MATCH_END.length;
    for (const record of parts.records) bytes += entryBytes + record.id.length + record.byteLength;
  }
  if (outcomeEntry !== undefined) bytes += Buffer.byteLength(outcomeEntry);
  return bytes;
}
