import type { StoredRecord } from '../store/storedRecord.js';
import { JsonBytesBuilder } from '../text/jsonBytesBuilder.js';
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
  const body = new JsonBytesBuilder().text(
    `{"resourceType":"Bundle","meta":{"lastUpdated":${JSON.stringify(parts.lastUpdated)}},"type":"searchset",` +
      `"total":${parts.total},"link":${JSON.stringify(parts.links)}`,
  );
  if (parts.records.length === 0 && parts.outcome === undefined) return body.text('}').toBuffer();
  const typeUrl = `${parts.baseUrl}/${parts.resourceType}/`;
  let separator = ',"entry":[';
  for (const record of parts.records) {
    body.text(`${separator}{"fullUrl":${JSON.stringify(typeUrl + record.id)},"resource":`).bytes(record).text(',"search":{"mode":"match"}}');
    separator = ',';
  }
  if (parts.outcome !== undefined) {
    body.text(`${separator}{"resource":${JSON.stringify(parts.outcome)},"search":{"mode":"outcome"}}`);
  }
  return body.text(']}').toBuffer();
}
