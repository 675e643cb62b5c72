export interface BundleLink {
  relation: 'self' | 'first' | 'previous' | 'next' | 'last';
  url: string;
}

export interface PageWindow {
  count: number;
  offset: number;
  total: number;
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
  const base = `${searchUrl}?${usedParams.map(([name, value]) => `${encodeQuery(name)}=${encodeQuery(value)}`).join('&')}`;
  const separator = usedParams.length === 0 ? '' : '&';
  const at = (offset: number): string => `${base}${separator}_count=${page.count}&_offset=${offset}`;
  const links: BundleLink[] = [{ relation: 'self', url: at(page.offset) }];
  if (!withPaging || page.count === 0) return links;
  const lastOffset = page.total === 0 ? 0 : Math.floor((page.total - 1) / page.count) * page.count;
  links.push({ relation: 'first', url: at(0) });
  if (page.offset > 0) links.push({ relation: 'previous', url: at(Math.max(0, Math.min(page.offset - page.count, lastOffset))) });
  if (page.offset + page.count < page.total) links.push({ relation: 'next', url: at(page.offset + page.count) });
  links.push({ relation: 'last', url: at(lastOffset) });
  return links;
}

/** Percent-encodes, but keeps the characters FHIR queries are read by (`:`, `|`, `,`) legible. */
function encodeQuery(text: string): string {
  const encoded = encodeURIComponent(text);
  // Most names and values encode to themselves: no escape, nothing to put back.
  return encoded.includes('%') ? encoded.replace(LEGIBLE_ESCAPES, (escape) => LEGIBLE[escape] as string) : encoded;
}

const LEGIBLE: Readonly<Record<string, string>> = { '%3A': ':', '%7C': '|', '%2C': ',' };
const LEGIBLE_ESCAPES = /%3A|%7C|%2C/g;
