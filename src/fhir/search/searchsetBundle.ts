import type { StoredRecord } from '../store/typeTable.js';
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

/** A searchset Bundle as JSON text, built by concatenating the stored resources' text (no re-serialising). */
export function searchsetBundleJson(parts: SearchsetParts): string {
  const entries: string[] = [];
  const typeUrl = `${parts.baseUrl}/${parts.resourceType}/`;
  for (const record of parts.records) {
    entries.push(`{"fullUrl":${JSON.stringify(typeUrl + record.id)},"resource":${record.json},"search":{"mode":"match"}}`);
  }
  if (parts.outcome !== undefined) {
    entries.push(`{"resource":${JSON.stringify(parts.outcome)},"search":{"mode":"outcome"}}`);
  }
  const head =
    `{"resourceType":"Bundle","meta":{"lastUpdated":${JSON.stringify(parts.lastUpdated)}},"type":"searchset",` +
    `"total":${parts.total},"link":${JSON.stringify(parts.links)}`;
  return entries.length === 0 ? `${head}}` : `${head},"entry":[${entries.join(',')}]}`;
}
