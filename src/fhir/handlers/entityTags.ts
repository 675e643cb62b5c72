/**
 * `If-None-Match` as RFC 7232 §3.2 defines it: `*`, or a comma-separated list of entity-tags, each
 * strong (`"3"`) or weak (`W/"3"`). A GET is answered 304 when the list holds the current tag under
 * the weak comparison (§2.3.2: the opaque tags are equal, whether or not either is weak).
 */
export function ifNoneMatchHolds(header: string, currentEtag: string): boolean {
  const list = header.trim();
  if (list === '*') return true;
  const current = opaqueTag(currentEtag);
  return current !== undefined && entityTags(list).some((tag) => opaqueTag(tag) === current);
}

/** The list's members; a comma inside a quoted tag does not split it. */
function entityTags(list: string): string[] {
  return list.match(/(?:W\/)?"[^"]*"|[^,\s]+/g) ?? [];
}

/** `W/"3"` and `"3"` both give `"3"`; anything that is not an entity-tag gives undefined. */
function opaqueTag(tag: string): string | undefined {
  const match = /^(?:W\/)?("[\x21\x23-\x7e\x80-\xff]*")$/.exec(tag.trim());
  return match?.[1];
}
