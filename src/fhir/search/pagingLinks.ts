import { jsonStringContent } from '../../lib/jsonString.js';

export interface BundleLink {
  relation: 'self' | 'first' | 'previous' | 'next' | 'last';
  url: string;
}

export interface PageWindow {
  count: number;
  offset: number;
  total: number;
}

/** The links as URLs, and the same links as Bundle.link JSON text. */
export interface PagingLinks {
  links: BundleLink[];
  /** `[{"relation":"self","url":"…"},…]`, written as the URLs are built rather than serialised from them. */
  json: string;
}

/**
 * self/first/previous/next/last as absolute GET URLs carrying the parameters that were used, so a
 * client following them stays in the same search (and, through its token, the same tenant).
 * `_count=0` and `_summary=count` pages only get `self`.
 */
export function pagingLinks(
  searchUrl: string,
  usedParams: ReadonlyArray<readonly [string, string]>,
  page: PageWindow,
  withPaging: boolean,
): BundleLink[] {
  return searchLinks(searchUrl, usedParams, page, withPaging).links;
}

/**
 * pagingLinks with their JSON. Percent-encoding leaves the query nothing JSON must escape, so only
 * the search URL is escaped, once, and each link's text is the URLs' shared start plus its offset:
 * serialising the finished URLs cost a search more than finding its matches.
 */
export function searchLinks(
  searchUrl: string,
  usedParams: ReadonlyArray<readonly [string, string]>,
  page: PageWindow,
  withPaging: boolean,
): PagingLinks {
  const query = usedParams.map(([name, value]) => `${encodeQuery(name)}=${encodeQuery(value)}`).join('&');
  const paging = `${query}${usedParams.length === 0 ? '' : '&'}_count=${page.count}&_offset=`;
  const urlStart = `${searchUrl}?${paging}`;
  const jsonStart = `"url":"${jsonStringContent(searchUrl)}?${paging}`;
  const links: BundleLink[] = [];
  let json = '[';
  const add = (relation: BundleLink['relation'], offset: number): void => {
    links.push({ relation, url: `${urlStart}${offset}` });
    json += `${links.length === 1 ? '' : ','}{"relation":"${relation}",${jsonStart}${offset}"}`;
  };
  add('self', page.offset);
  if (withPaging && page.count !== 0) {
    const lastOffset = page.total === 0 ? 0 : Math.floor((page.total - 1) / page.count) * page.count;
    add('first', 0);
    if (page.offset > 0) add('previous', Math.max(0, Math.min(page.offset - page.count, lastOffset)));
    if (page.offset + page.count < page.total) add('next', page.offset + page.count);
    add('last', lastOffset);
  }
  return { links, json: `${json}]` };
}

/** Percent-encodes, but keeps the characters FHIR queries are read by (`:`, `|`, `,`) legible. */
function encodeQuery(text: string): string {
  // Most names and values (`patient`, `pat-000123`, `vital-signs`) encode to themselves: no call into the encoder.
  if (isUnreserved(text)) return text;
  const encoded = encodeURIComponent(text);
  // Most names and values encode to themselves: no escape, nothing to put back.
  return encoded.includes('%') ? encoded.replace(LEGIBLE_ESCAPES, (escape) => LEGIBLE[escape] as string) : encoded;
}

/**
 * Whether every character is one encodeURIComponent leaves as it is (`A-Z a-z 0-9 - _ . ! ~ * ' ( )`):
 * a loop over a short name or value costs a search less than a regular expression's call.
 */
function isUnreserved(text: string): boolean {
  for (let i = 0; i < text.length; i++) {
    const code = text.charCodeAt(i);
    const unreserved =
      (code >= 97 && code <= 122) || (code >= 65 && code <= 90) || (code >= 48 && code <= 57) || code === 45 || code === 95 || code === 46 || code === 33 || code === 126 || (code >= 39 && code <= 42);
    if (!unreserved) return false;
  }
  return true;
}

const LEGIBLE: Readonly<Record<string, string>> = { '%3A': ':', '%7C': '|', '%2C': ',' };
const LEGIBLE_ESCAPES = /%3A|%7C|%2C/g;
