const NEEDS_DECODING = /^\?|[%+\ud800-\udfff]/;

/**
 * A query string or form body as ordered name/value pairs, exactly as `URLSearchParams` reads it
 * (names may repeat; `a[b]=c` stays flat). Most queries a client sends have nothing to decode: no
 * `%`, no `+`, no surrogate (a lone one the encoder would replace) and no leading `?` (which the
 * constructor drops). Those are split on `&` and the first `=` directly, which gives the same pairs
 * without the URL parser's iterator and copies; anything else goes to `URLSearchParams` itself.
 */
export function queryPairs(query: string): Array<[string, string]> {
  if (NEEDS_DECODING.test(query)) return [...new URLSearchParams(query)];
  const pairs: Array<[string, string]> = [];
  for (const field of query.split('&')) {
    if (field === '') continue;
    const equals = field.indexOf('=');
    pairs.push(equals < 0 ? [field, ''] : [field.slice(0, equals), field.slice(equals + 1)]);
  }
  return pairs;
}
