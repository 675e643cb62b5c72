import { evidenceOf, isFhirCall, isTokenRequest, MAX_EVIDENCE, seconds, startOf, tenantOf, type Criterion, type GradedRequest, type GradedToken } from '../clientTraffic.js';

/**
 * Expiry foresight: each token either makes way for a new one before it expires, or costs at most one
 * request refused as expired. Observed once a token comes near or past its expiry while the client works.
 */
export const expiryForesight: Criterion = ({ requests, tokens }) => {
  const expiredUses = new Map<string, GradedRequest[]>();
  for (const request of requests) {
    if (request.tokenRefused !== 'expired' || request.tokenJti === undefined) continue;
    expiredUses.set(request.tokenJti, [...(expiredUses.get(request.tokenJti) ?? []), request]);
  }
  const ahead = refreshedAhead(requests, tokens);
  const lastCall = new Map<string, number>();
  for (const request of requests) {
    const tenant = isFhirCall(request) ? tenantOf(request, tokens) : undefined;
    if (tenant !== undefined) lastCall.set(tenant, Math.max(lastCall.get(tenant) ?? 0, startOf(request)));
  }
  // A token whose tenant the client kept calling after it expired.
  const lapsed = [...tokens.values()].filter((token) => (lastCall.get(token.tenantId) ?? 0) >= token.expiresAt);
  if (expiredUses.size === 0 && ahead.length === 0 && lapsed.length === 0) {
    return { result: 'not-observed', summary: 'no token came near its expiry while the client was working', evidence: [] };
  }
  const repeated = [...expiredUses.entries()].filter(([, uses]) => uses.length > 1);
  if (repeated.length > 0) {
    return {
      result: 'fail',
      summary: `${repeated.length} token(s) kept being sent after they expired`,
      evidence: repeated
        .flatMap(([jti, uses]) => uses.slice(1).map((use) => evidenceOf(use, `token #${tokens.get(jti)?.ordinal ?? '?'} sent again after it expired (${uses.length} refusals)`)))
        .slice(0, MAX_EVIDENCE),
    };
  }
  return {
    result: 'pass',
    summary: `${ahead.length} token(s) replaced before they expired; ${expiredUses.size} expiry(ies) cost one refused request each`,
    evidence: [
      ...ahead.map(({ request, left, previous }) => evidenceOf(request, `replaced token #${previous.ordinal} ${seconds(left)} before it expired`)),
      ...[...expiredUses.values()].map((uses) => evidenceOf(uses[0] as GradedRequest, 'one request refused as expired, then a new token')),
    ].slice(0, MAX_EVIDENCE),
  };
};

/** Token requests made while the tenant's current token, never refused, had less than half its lifetime left but had not expired. */
function refreshedAhead(requests: readonly GradedRequest[], tokens: ReadonlyMap<string, GradedToken>): Array<{ request: GradedRequest; left: number; previous: GradedToken }> {
  const refused = new Set(requests.flatMap((request) => (request.status === 401 && request.tokenJti !== undefined && isFhirCall(request) ? [request.tokenJti] : [])));
  const current = new Map<string, GradedToken>();
  const found: Array<{ request: GradedRequest; left: number; previous: GradedToken }> = [];
  for (const request of requests) {
    const token = isTokenRequest(request) && request.tokenJti !== undefined ? tokens.get(request.tokenJti) : undefined;
    if (token === undefined) continue;
    const previous = current.get(token.tenantId);
    current.set(token.tenantId, token);
    if (previous === undefined || refused.has(previous.jti)) continue;
    const left = previous.expiresAt - startOf(request);
    if (left > 0 && left <= (previous.expiresAt - previous.issuedAt) / 2) found.push({ request, left, previous });
  }
  return found;
}
