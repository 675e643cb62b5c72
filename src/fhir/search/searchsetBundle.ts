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
const MATCH_END_BYTES = Buffer.from(MATCH_END);

/**
 * A searchset Bundle as JSON, the stored resources copied in as they are (no re-serialising).
 * Each entry is the same bytes around a record: the text between two records (the end of one
 * entry, `,{"fullUrl":"<type URL>` of the next) is escaped and encoded once per type URL (see
 * entryPieces), so an entry costs that piece, its id, the resource key and the record's own
 * bytes, written straight into the answer's buffer (see writeMatches). The part knows its size
 * (exact for plain ids), so whoever writes it (alone, or inside a batch's answer) allocates once.
 */
export function searchsetBundle(parts: SearchsetParts): JsonPart {
  const header =
    `{"resourceType":"Bundle","meta":{"lastUpdated":"${jsonStringContent(parts.lastUpdated)}"},"type":"searchset",` +
    `"total":${parts.total},"link":${parts.linksJson ?? JSON.stringify(parts.links)}`;
  const pieces = parts.records.length === 0 ? undefined : entryPieces(parts.baseUrl, parts.resourceType);
  const outcomeEntry = parts.outcome === undefined ? undefined : outcomeEntryText(parts, `${parts.baseUrl}/${parts.resourceType}/`);
  const entriesBytes = pieces === undefined ? 0 : entriesByteLength(parts.records, pieces);
  return {
    byteLength: byteLengthOf(parts, header, entriesBytes, outcomeEntry),
    writeTo: (body) => writeSearchset(body, parts.records, header, pieces, entriesBytes, outcomeEntry),
  };
}

/** `,"search":{"mode":"match"}},{"fullUrl":"<type URL>` as bytes, and its tail from `{"fullUrl"` on (the first entry's start). */
interface EntryPieces {
  between: Buffer;
  first: Buffer;
}

// The pieces of the type URLs searched lately, by resource type then base URL, which are few (a
// base URL per origin and version, times the resource types), so most searches encode none. Two
// keys rather than the joined type URL: a batch's entries share one base URL string, hashed once,
// where a joined key was a new string to flatten and hash per search. Bounded: cleared when full.
// The buffers are only ever read.
const PIECES_BY_TYPE = new Map<string, Map<string, EntryPieces>>();
let remembered = 0;
const REMEMBERED_TYPE_URLS = 256;

function entryPieces(baseUrl: string, resourceType: string): EntryPieces {
  let byBase = PIECES_BY_TYPE.get(resourceType);
  let pieces = byBase?.get(baseUrl);
  if (pieces === undefined) {
    const between = Buffer.from(`${MATCH_END},{"fullUrl":"${jsonStringContent(`${baseUrl}/${resourceType}/`)}`);
    pieces = { between, first: between.subarray(MATCH_END.length + 1) };
    if (remembered >= REMEMBERED_TYPE_URLS) {
      PIECES_BY_TYPE.clear();
      remembered = 0;
      byBase = undefined;
    }
    if (byBase === undefined) {
      byBase = new Map();
      PIECES_BY_TYPE.set(resourceType, byBase);
    }
    byBase.set(baseUrl, pieces);
    remembered++;
  }
  return pieces;
}

function writeSearchset(
  body: JsonBytesBuilder,
  records: readonly StoredRecord[],
  header: string,
  pieces: EntryPieces | undefined,
  entriesBytes: number,
  outcomeEntry: string | undefined,
): void {
  body.text(header);
  if (pieces === undefined && outcomeEntry === undefined) {
    body.text('}');
    return;
  }
  body.text(',"entry":[');
  if (pieces !== undefined) writeMatches(body, records, pieces, entriesBytes);
  if (outcomeEntry !== undefined) body.text(pieces !== undefined ? `,${outcomeEntry}` : outcomeEntry);
  body.text(']}');
}

/** How far a run of entries got: the index of the first record it did not write (one with an odd id), or the number of records. */
interface EntryRun {
  next: number;
}

/**
 * The match entries, straight into the answer's buffer while ids are plain; a record with an odd id
 * (not FHIR's id pattern, which every write is checked against) ends the run, is written through
 * the builder with its id escaped, and the next run starts after it.
 */
function writeMatches(body: JsonBytesBuilder, records: readonly StoredRecord[], pieces: EntryPieces, entriesBytes: number): void {
  const run: EntryRun = { next: 0 };
  body.direct(entriesBytes, (out, at) => writeEntries(out, at, records, pieces, run));
  while (run.next < records.length) {
    const record = records[run.next] as StoredRecord;
    body.bytes(run.next === 0 ? pieces.first : pieces.between).text(JSON.stringify(record.id).slice(1, -1)).bytes(RESOURCE_KEY).bytes(record);
    run.next++;
    // What is left needs no more than the plain-id size of all the entries.
    body.direct(entriesBytes, (out, at) => writeEntries(out, at, records, pieces, run));
  }
}

/**
 * Entries from `run.next` on, each from its `{"fullUrl"` (after the previous entry's end) to its
 * record, then the last one's `,"search":{"mode":"match"}}`, written from `at`; returns their end.
 * Stops before a record whose id is not plain, with `run.next` at it.
 */
function writeEntries(out: Buffer, at: number, records: readonly StoredRecord[], pieces: EntryPieces, run: EntryRun): number {
  for (let index = run.next; index < records.length; index++) {
    const record = records[index] as StoredRecord;
    const piece = index === 0 ? pieces.first : pieces.between;
    out.set(piece, at);
    const idEnd = writePlainId(out, at + piece.length, record.id);
    if (idEnd < 0) {
      run.next = index;
      return at;
    }
    out.set(RESOURCE_KEY, idEnd);
    at = record.copyTo(out, idEnd + RESOURCE_KEY.length);
  }
  run.next = records.length;
  out.set(MATCH_END_BYTES, at);
  return at + MATCH_END_BYTES.length;
}

/**
 * A plain id (FHIR's id pattern, `[A-Za-z0-9\-.]{1,64}`: nothing to escape, all ASCII) a byte per
 * character, checked as it is copied: for a short id a loop costs less than a call into the encoder.
 * -1 for any other id.
 */
function writePlainId(out: Buffer, at: number, id: string): number {
  if (id.length === 0 || id.length > 64) return -1;
  for (let i = 0; i < id.length; i++) {
    const code = id.charCodeAt(i);
    const plain = (code >= 48 && code <= 57) || (code >= 65 && code <= 90) || (code >= 97 && code <= 122) || code === 45 || code === 46;
    if (!plain) return -1;
    out[at + i] = code;
  }
  return at + id.length;
}

/** The warnings' entry. Every entry with a resource has a fullUrl (DSTU2 bdl-6); the outcome has no URL of its own. */
function outcomeEntryText(parts: SearchsetParts, typeUrl: string): string {
  const self = parts.links.find((link) => link.relation === 'self')?.url ?? typeUrl;
  const fullUrl = urnUuid(`${parts.lastUpdated} ${self} outcome`);
  return `{"fullUrl":${JSON.stringify(fullUrl)},"resource":${JSON.stringify(parts.outcome)},"search":{"mode":"outcome"}}`;
}

/** What writeEntries writes when every id is plain (an odd id's escaped text makes the builder grow). */
function entriesByteLength(records: readonly StoredRecord[], pieces: EntryPieces): number {
  let bytes = pieces.first.length - pieces.between.length + MATCH_END_BYTES.length;
  const entryBytes = pieces.between.length + RESOURCE_KEY.length;
  for (const record of records) bytes += entryBytes + record.id.length + record.byteLength;
  return bytes;
}

/**
 * The Bundle's size: exact when every id has FHIR's id pattern (ASCII, nothing to escape) and the
 * rest of the text is measured; an odd id or a long outcome makes the builder grow, never overflow.
 */
function byteLengthOf(parts: SearchsetParts, header: string, entriesBytes: number, outcomeEntry: string | undefined): number {
  const entries = parts.records.length + (outcomeEntry === undefined ? 0 : 1);
  let bytes = Buffer.byteLength(header) + (entries === 0 ? '}'.length : ',"entry":['.length + ']}'.length) + entriesBytes;
  if (outcomeEntry !== undefined) bytes += Buffer.byteLength(outcomeEntry) + (parts.records.length === 0 ? 0 : ','.length);
  return bytes;
}
