/**
 * How large and how deeply nested a resource (or a batch Bundle) the sandbox takes in. Real FHIR
 * nests a few dozen levels at most (a Bundle entry's contained resource's extension's extension);
 * past these limits a body is refused at the door with a message naming the limit, because walking
 * it (validation, cloning, serialising) recurses once per level and would overflow the stack.
 */
export const RESOURCE_LIMITS = {
  /** Levels of JSON objects and arrays, the outermost object being level 1. */
  maxDepth: 100,
  /** UTF-8 bytes of the JSON text. */
  maxBytes: 5 * 1024 * 1024,
} as const;

/** The limits as people read them, for error messages. */
export const LIMITS_IN_WORDS = {
  depth: `${RESOURCE_LIMITS.maxDepth} levels of nested JSON objects and arrays`,
  bytes: `${RESOURCE_LIMITS.maxBytes / (1024 * 1024)} MB`,
} as const;

/**
 * Whether `value` nests deeper than `maxDepth`. Iterative, so it is safe on any input that
 * JSON.parse accepted, however deep; it stops at the first container past the limit.
 */
export function nestsDeeperThan(value: unknown, maxDepth: number = RESOURCE_LIMITS.maxDepth): boolean {
  if (value === null || typeof value !== 'object') return false;
  const pending: Array<{ container: object; depth: number }> = [{ container: value, depth: 1 }];
  for (let next = pending.pop(); next !== undefined; next = pending.pop()) {
    if (next.depth > maxDepth) return true;
    const children = Array.isArray(next.container) ? (next.container as unknown[]) : Object.values(next.container);
    for (const child of children) {
      if (child !== null && typeof child === 'object') pending.push({ container: child, depth: next.depth + 1 });
    }
  }
  return false;
}

/** Why a parsed value nests too deep, naming the limit; undefined when it does not. Safe on any depth. */
export function depthBreach(value: unknown): string | undefined {
  return nestsDeeperThan(value) ? `the resource nests deeper than this server accepts (at most ${LIMITS_IN_WORDS.depth})` : undefined;
}

/** Why a parsed resource breaks either limit, naming it; undefined when it breaks neither. */
export function resourceLimitBreach(resource: unknown): string | undefined {
  const tooDeep = depthBreach(resource);
  if (tooDeep !== undefined) return tooDeep;
  // Safe to serialise now: the depth is bounded.
  const bytes = Buffer.byteLength(JSON.stringify(resource) ?? '');
  if (bytes > RESOURCE_LIMITS.maxBytes) return `the resource is ${bytes} bytes as JSON, more than this server accepts (at most ${LIMITS_IN_WORDS.bytes})`;
  return undefined;
}
