import { FhirError } from '../fhir/errors.js';
import type { FhirMethod } from '../fhir/types.js';
import { refusalOf, type AccessRules } from './proxyAccess.js';

/** A batch after the partner's checks: what goes upstream, and the entries answered here instead. */
export interface GatedBatch {
  /** The Bundle to send (the client's, less refused entries); undefined when every entry was refused. */
  forwarded: Record<string, unknown> | undefined;
  /** Refusals by position in the client's Bundle; empty when every entry goes upstream. */
  refused: ReadonlyMap<number, FhirError>;
  /** Entries in the client's Bundle. */
  entries: number;
}

const METHODS: readonly string[] = ['GET', 'POST', 'PUT', 'DELETE'];

/**
 * Checks each entry of a batch as a request of its own (scopes, read-only), as the FHIR core does for
 * a generated tenant: refused entries never reach the upstream and are answered in place. A
 * transaction is all or nothing, so one refused entry refuses it whole. Anything that is not a
 * Bundle goes upstream as it is, for the upstream to judge.
 */
export function gateBatch(body: unknown, gatewayBase: string, rules: AccessRules): GatedBatch {
  const bundle = body as { resourceType?: unknown; type?: unknown; entry?: unknown } | null;
  if (bundle === null || typeof bundle !== 'object' || bundle.resourceType !== 'Bundle' || !Array.isArray(bundle.entry)) {
    return { forwarded: body as Record<string, unknown>, refused: new Map(), entries: 0 };
  }
  const entries = bundle.entry as unknown[];
  const refused = new Map<number, FhirError>();
  entries.forEach((entry, index) => {
    const refusal = entryRefusal(entry, gatewayBase, rules);
    if (refusal !== undefined) refused.set(index, refusal);
  });
  if (refused.size === 0) return { forwarded: bundle as Record<string, unknown>, refused, entries: entries.length };
  if (bundle.type === 'transaction') {
    const [index, first] = [...refused][0] as [number, FhirError];
    throw new FhirError(first.code, [{ ...(first.issues[0] as FhirError['issues'][number]), diagnostics: `Bundle.entry[${index}]: ${first.message}; a transaction is all or nothing, so none of it was carried out` }]);
  }
  const kept = entries.filter((_entry, index) => !refused.has(index));
  return { forwarded: kept.length === 0 ? undefined : { ...bundle, entry: kept }, refused, entries: entries.length };
}

function entryRefusal(entry: unknown, gatewayBase: string, rules: AccessRules): FhirError | undefined {
  const request = (entry as { request?: { method?: unknown; url?: unknown } } | null)?.request;
  const method = request?.method;
  const url = request?.url;
  // A malformed entry is the upstream's to refuse, in its own words.
  if (typeof method !== 'string' || !METHODS.includes(method) || typeof url !== 'string') return undefined;
  const relative = url.startsWith(`${gatewayBase}/`) ? url.slice(gatewayBase.length + 1) : url;
  const question = relative.indexOf('?');
  const path = (question < 0 ? relative : relative.slice(0, question)).replace(/^\/+|\/+$/g, '');
  return refusalOf(method as FhirMethod, path, question < 0 ? '' : relative.slice(question + 1), rules);
}
