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
  const segments = path.replace(/^\/+|\/+$/g, '').split('/');
  const [first = '', second, third] = segments;
  if (first === '') return segments.length === 1 ? { kind: 'base' } : { kind: 'unknown' };
  if (segments.length === 1) return first === 'metadata' ? { kind: 'metadata' } : { kind: 'type', type: first };
  if (second === undefined || second === '') return { kind: 'unknown' };
  if (segments.length === 2) return second === '_search' ? { kind: 'search', type: first } : second === '_history' ? { kind: 'history', type: first } : { kind: 'instance', type: first, id: second };
  if (third === '_history') return { kind: 'history', type: first };
  return { kind: 'unknown' };
}
