import { findLink, withLink } from './corruptBody.js';
import type { SearchBundle } from './corruptBody.js';
import type { FaultResponse } from './errorResponse.js';
import type { FaultTarget } from './types.js';
import { faultContentType, operationOutcome } from './wireFormat.js';

/**
 * A broken next link carries this query parameter, so the fault middleware recognises the follow-up
 * request and answers it itself: the gateway never has to know about paging faults.
 */
export const BROKEN_PAGE_PARAM = 'sandbox-broken-page';

export type BrokenLink = { mode: 'not-found'; rule: string } | { mode: 'past-end'; rule: string; total: number };

function markedUrl(base: string, value: string): string | undefined {
  try {
    const url = new URL(base);
    url.searchParams.set(BROKEN_PAGE_PARAM, value);
    return url.href;
  } catch {
    return undefined;
  }
}

/**
 * `not-found` spoils the existing next link (nothing to spoil on a last page); `past-end` points a
 * next link beyond the last page. Undefined when the bundle gives no URL to work from.
 */
export function breakNextLink(bundle: SearchBundle, mode: BrokenLink['mode'], rule: string): SearchBundle | undefined {
  const next = findLink(bundle, 'next');
  if (mode === 'not-found') {
    const url = next === undefined ? undefined : markedUrl(next, `not-found~0~${rule}`);
    return url === undefined ? undefined : withLink(bundle, 'next', url);
  }
  const base = next ?? findLink(bundle, 'self');
  const total = typeof bundle.total === 'number' ? bundle.total : 0;
  const url = base === undefined ? undefined : markedUrl(base, `past-end~${total}~${rule}`);
  return url === undefined ? undefined : withLink(bundle, 'next', url);
}

/** The marker in a query string, if this request follows a broken link. */
export function readBrokenLink(querystring: string): BrokenLink | undefined {
  if (!querystring.includes(BROKEN_PAGE_PARAM)) return undefined;
  const value = new URLSearchParams(querystring).get(BROKEN_PAGE_PARAM);
  const match = value === null ? null : /^(not-found|past-end)~(\d{1,12})~([A-Za-z0-9][A-Za-z0-9._:/-]{0,99})$/.exec(value);
  if (match === null) return undefined;
  const [, mode, total, rule] = match;
  if (rule === undefined) return undefined;
  return mode === 'past-end' ? { mode, rule, total: Number(total) } : { mode: 'not-found', rule };
}

/** What following a broken link gets: a 404 for an expired page, or an empty page past the end. */
export function brokenLinkResponse(link: BrokenLink, target: FaultTarget, selfUrl: string): FaultResponse {
  const headers = { 'Content-Type': faultContentType(target.fhirVersion) };
  if (link.mode === 'not-found') {
    const outcome = operationOutcome('not-found', 'This page of search results does not exist or has expired.');
    return { status: 404, headers, body: JSON.stringify(outcome) };
  }
  const bundle = { resourceType: 'Bundle', type: 'searchset', total: link.total, link: [{ relation: 'self', url: selfUrl }] };
  return { status: 200, headers, body: JSON.stringify(bundle) };
}
