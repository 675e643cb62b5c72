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
 * once per Bundle, then every entry costs a few copies and its id.
 */
export function searchsetBundleJson(parts: SearchsetParts): Buffer {
  const typeUrl = `${parts.baseUrl}/${parts.resourceType}/`;
  const body = new JsonBytesBuilder(capacityFor(parts, typeUrl)).text(
    `{"resourceType":"Bundle","meta":{"lastUpdated":${JSON.stringify(parts.lastUpdated)}},"type":"searchset",` +
      `"total":${parts.total},"link":${JSON.stringify(parts.links)}`,
  );
  if (parts.records.length === 0 && parts.outcome === undefined) return body.text('}').toBuffer();
  body.text(',"entry":[');
  if (parts.records.length > 0) {
    const entryStart = Buffer.from(`{"fullUrl":${JSON.stringify(typeUrl).slice(0, -1)}`);
    parts.records.forEach((record, index) => {
      if (index > 0) body.ascii(',');
      body.bytes(entryStart);
      if (PLAIN_ID.test(record.id)) body.ascii(record.id);
      else body.text(JSON.stringify(record.id).slice(1, -1));
      body.bytes(RESOURCE_KEY).bytes(record).bytes(MATCH_END);
    });
  }
  if (parts.outcome !== undefined) {
    // Every entry with a resource has a fullUrl (DSTU2 bdl-6); the outcome has no URL of its own.
    const self = parts.links.find((link) => link.relation === 'self')?.url ?? typeUrl;
    const fullUrl = urnUuid(`${parts.lastUpdated} ${self} outcome`);
    body.text(`${parts.records.length > 0 ? ',' : ''}{"fullUrl":${JSON.stringify(fullUrl)},"resource":${JSON.stringify(parts.outcome)},"search":{"mode":"outcome"}}`);
  }
  return body.text(']}').toBuffer();
}

/** An upper bound of the Bundle's size, so its buffer is allocated once: the resources, plus each entry's text at 3 bytes a character. */
function capacityFor(parts: SearchsetParts, typeUrl: string): number {
  let bytes = 4096;
  for (const record of parts.records) bytes += record.byteLength + 3 * (typeUrl.length + record.id.length + 64);
  return bytes;
}
