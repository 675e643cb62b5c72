import { describeCall, evidenceOf, isFhirCall, isTokenRequest, MAX_EVIDENCE, tenantOf, type Criterion, type GradedRequest } from '../clientTraffic.js';
import type { Evidence } from '../reportCard.js';

const FHIR_JSON = /application\/(fhir\+json|json\+fhir)/i;

/**
 * Correctness: FHIR calls go to the gateway of the tenant's FHIR version and ask for FHIR JSON; token
 * requests and bearer tokens go only to a host whose metadata advertised the token URL.
 */
export const correctness: Criterion = ({ requests, tokens }, { tenantVersions, advertisedHosts }) => {
  const problems = new Map<string, Evidence[]>();
  const note = (kind: string, request: GradedRequest, text: string) => problems.set(kind, [...(problems.get(kind) ?? []), evidenceOf(request, text)]);
  let checked = 0;
  for (const request of requests) {
    const fhir = isFhirCall(request);
    const token = isTokenRequest(request);
    if (!fhir && !token) continue;
    checked++;
    if (fhir) {
      const expected = tenantVersions.get(tenantOf(request, tokens) ?? '');
      if (expected !== undefined && request.fhirVersion !== expected) note('gateway', request, `${describeCall(request)}: the tenant's server speaks ${expected}, not ${request.fhirVersion ?? '?'}`);
      if (!FHIR_JSON.test(request.accept ?? '')) note('accept', request, `${describeCall(request)} with Accept: ${request.accept ?? '(none)'}, no FHIR JSON type`);
    }
    const host = request.host?.toLowerCase();
    if (advertisedHosts.size > 0 && host !== undefined && (token || request.tokenJti !== undefined) && !advertisedHosts.has(host)) {
      note('host', request, `${token ? 'token request' : 'bearer token'} sent to ${host}; metadata advertised ${[...advertisedHosts].join(', ')}`);
    }
  }
  if (checked === 0) return { result: 'not-observed', summary: 'no FHIR call and no token request', evidence: [] };
  if (problems.size > 0) {
    // The first of each kind, then more of them.
    const kinds = [...problems.values()];
    const evidence = [...kinds.map((list) => list[0] as Evidence), ...kinds.flatMap((list) => list.slice(1))].slice(0, MAX_EVIDENCE);
    const counts = [...problems.entries()].map(([kind, list]) => `${list.length} ${kind}`).join(', ');
    return { result: 'fail', summary: `wrong ${counts}`, evidence };
  }
  const hosts = advertisedHosts.size === 0 ? ' (no metadata seen, hosts not checked)' : '';
  return { result: 'pass', summary: `${checked} requests to the right gateway with FHIR JSON Accept headers${hosts}`, evidence: [] };
};
