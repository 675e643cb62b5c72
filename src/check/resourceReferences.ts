import { isObject } from './fhirJson.js';

// A relative literal reference, Type/id (a version suffix is dropped).
const RELATIVE = /^([A-Z][A-Za-z]+)\/([A-Za-z0-9\-.]{1,64})(?:\/_history\/[A-Za-z0-9\-.]{1,64})?$/;

/**
 * The distinct `Type/id` references in some resources, sorted: relative ones as they are, absolute ones
 * only when they point below this base. Contained (`#…`), `urn:` and other servers' references are
 * not the partner's to resolve.
 */
export function resourceReferences(resources: readonly unknown[], baseUrl: string): string[] {
  const found = new Set<string>();
  const visit = (value: unknown): void => {
    if (Array.isArray(value)) {
      value.forEach(visit);
      return;
    }
    if (!isObject(value)) return;
    for (const [name, child] of Object.entries(value)) {
      if (name === 'reference' && typeof child === 'string') {
        const local = child.startsWith(`${baseUrl}/`) ? child.slice(baseUrl.length + 1) : child;
        const match = RELATIVE.exec(local);
        if (match !== null) found.add(`${match[1]}/${match[2]}`);
      } else if (name !== 'contained') {
        visit(child);
      }
    }
  };
  resources.forEach(visit);
  return [...found].sort();
}

/** At most `max` references, taken in turn from each resource type, so every kind gets read. */
export function sampleByType(references: readonly string[], max: number): string[] {
  const byType = new Map<string, string[]>();
  for (const reference of references) {
    const type = reference.split('/')[0] ?? reference;
    byType.set(type, [...(byType.get(type) ?? []), reference]);
  }
  const queues = [...byType.values()];
  const chosen: string[] = [];
  for (let round = 0; chosen.length < max && queues.some((queue) => round < queue.length); round++) {
    for (const queue of queues) {
      const next = queue[round];
      if (next !== undefined && chosen.length < max) chosen.push(next);
    }
  }
  return chosen;
}
