import type { FhirProvider } from '../fhirProvider.js';
import { informationalIssue, operationOutcome } from '../outcome.js';
import { searchLinks } from '../search/pagingLinks.js';
import { parseSearch } from '../search/parseSearch.js';
import { searchsetBundle } from '../search/searchsetBundle.js';
import type { SearchQuery } from '../search/searchQuery.js';
import { searchPage } from '../search/searchPage.js';
import type { StoredRecord } from '../store/storedRecord.js';
import { isoInstant } from '../text/isoInstant.js';
import type { JsonPart } from '../text/jsonPart.js';
import type { FhirRequest, FhirResponse } from '../types.js';
import { parsePrefer } from './preferences.js';

/** GET <Type>?… and POST <Type>/_search: parse, match, sort, page, and build the searchset Bundle. */
export function searchType(request: FhirRequest, provider: FhirProvider, type: string): FhirResponse {
  const definitions = provider.adapter.searchParams[type] ?? [];
  // Most searches carry no Prefer header: nothing to parse for them.
  const prefer = request.headers.prefer;
  const parsed = parseSearch(type, request.params, definitions, { strict: prefer !== undefined && parsePrefer(prefer).strictHandling });
  if (!parsed.ok) throw parsed.error;
  const { bundle, nextLink } = runSearch(parsed.query, request.baseUrl, provider);
  return nextLink === undefined ? { status: 200, pendingJson: bundle } : { status: 200, pendingJson: bundle, nextLink };
}

/** A parsed search against the provider's store, as a searchset Bundle ready to be written, and the next page's link. */
export function runSearch(query: SearchQuery, baseUrl: string, provider: FhirProvider): { bundle: JsonPart; nextLink: string | undefined } {
  const table = provider.store.table(query.resourceType);
  const { count, offset, totalOnly } = query.controls;
  const page = table === undefined ? { total: 0, slots: [] } : searchPage(table, query);
  const total = page.total;
  const records = page.slots.map((slot) => table?.recordAt(slot) as StoredRecord);
  const outcome =
    query.ignored.length === 0
      ? undefined
      : operationOutcome(
          query.ignored.map((ignored) => informationalIssue(ignored.reason, ignored.name)),
          provider.adapter,
        );
  const { links, json: linksJson } = searchLinks(`${baseUrl}/${query.resourceType}`, query.usedParams, { count, offset, total }, !totalOnly);
  const bundle = searchsetBundle({
    baseUrl,
    resourceType: query.resourceType,
    total,
    links,
    linksJson,
    records,
    ...(outcome === undefined ? {} : { outcome }),
    lastUpdated: isoInstant(provider.clock.now()),
  });
  return { bundle, nextLink: links.find((link) => link.relation === 'next')?.url };
}
