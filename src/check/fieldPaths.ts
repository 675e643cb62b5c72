import { isObject } from './fhirJson.js';

/**
 * The values at a dotted path in FHIR JSON, arrays flattened on the way: `name.given` gives every given
 * name of every name. `[0]` after a step keeps only its first element (`type[0].coding[0].display`).
 */
export function valuesAt(value: unknown, path: string): unknown[] {
  let current: unknown[] = [value];
  for (const step of path.split('.')) {
    const first = step.endsWith('[0]');
    const name = first ? step.slice(0, -3) : step;
    current = current.flatMap((item) => {
      if (!isObject(item)) return [];
      const child = item[name];
      if (child === undefined || child === null) return [];
      if (!Array.isArray(child)) return [child];
      return first ? child.slice(0, 1) : child;
    });
  }
  return current.filter((item) => item !== undefined && item !== null && item !== '');
}

/** True when any of the alternative paths holds a value. */
export function hasAny(value: unknown, paths: readonly string[]): boolean {
  return paths.some((path) => valuesAt(value, path).length > 0);
}
