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

/** A searchset Bundle as JSON bytes, the stored resources copied in as they are (no re-serialising). */
export function searchsetBundleJson(parts: SearchsetParts): Buffer {
  const typeUrl = `${parts.baseUrl}/${parts.resourceType}/`;
  const body = new JsonBytesBuilder(capacityFor(parts, typeUrl)).text(
    `{"resourceType":"Bundle","meta":{"lastUpdated":${JSON.stringify(parts.lastUpdated)}},"type":"searchset",` +
      `"total":${parts.total},"link":${JSON.stringify(parts.links)}`,
  );
  if (parts.records.length === 0 && parts.outcome === undefined) return body.text('}').toBuffer();
  let separator = ',"entry":[';
  for (const record of parts.records) {
    body.text(`${separator}{"fullUrl":${JSON.stringify(typeUrl + record.id)},"resource":`).bytes(record).text(',"search":{"mode":"match"}}');
    separator = ',';
  }
  if (parts.outcome !== undefined) {
    // Every entry with a resource has a fullUrl (DSTU2 bdl-6); the outcome has no URL of its own.
    const self = parts.links.find((link) => link.relation === 'self')?.url ?? typeUrl;
    const fullUrl = urnUuid(`${parts.lastUpdated} ${self} outcome`);
    body.text(`${separator}{"fullUrl":${JSON.stringify(fullUrl)},"resource":${JSON.stringify(parts.outcome)},"search":{"mode":"outcome"}}`);
  }
  return body.text(']}').toBuffer();
}

/** An upper bound of the Bundle's size, so its buffer is allocated once: the resources, plus each entry's text at 3 bytes a character. */
function capacityFor(parts: SearchsetParts, typeUrl: string): number {
  let bytes = 4096;
  for (const record of parts.records) bytes += record.byteLength + 3 * (typeUrl.length + record.id.length + 64);
  return bytes;
}
