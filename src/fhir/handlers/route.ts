/** What a path below the version's base names. */
export type Route =
  | { kind: 'base' }
  | { kind: 'metadata' }
  | { kind: 'type'; type: string }
  | { kind: 'search'; type: string }
  | { kind: 'instance'; type: string; id: string }
  | { kind: 'history'; type: string }
  | { kind: 'unknown' };

export function routeOf(path: string): Route {
  // The usual paths, `Type` and `Type/id` (or `Type/_search`), have no slash to trim and at most one
  // between two segments: taken apart without the trimming expression and the split.
  const slash = path.indexOf('/');
  if (slash < 0 && path !== '') return path === 'metadata' ? { kind: 'metadata' } : { kind: 'type', type: path };
  if (slash > 0 && slash < path.length - 1 && path.indexOf('/', slash + 1) < 0) return typeAnd(path.slice(0, slash), path.slice(slash + 1));
  const segments = path.replace(/^\/+|\/+$/g, '').split('/');
  const [first = '', second, third] = segments;
  if (first === '') return segments.length === 1 ? { kind: 'base' } : { kind: 'unknown' };
  if (segments.length === 1) return first === 'metadata' ? { kind: 'metadata' } : { kind: 'type', type: first };
  if (second === undefined || second === '') return { kind: 'unknown' };
  if (segments.length === 2) return typeAnd(first, second);
  if (third === '_history') return { kind: 'history', type: first };
  return { kind: 'unknown' };
}

/** `Type/<second>`: a search, the history, or an instance. */
function typeAnd(type: string, second: string): Route {
  return second === '_search' ? { kind: 'search', type } : second === '_history' ? { kind: 'history', type } : { kind: 'instance', type, id: second };
}
