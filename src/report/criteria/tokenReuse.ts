import { evidenceOf, isFhirCall, isTokenRequest, MAX_EVIDENCE, seconds, startOf, type Criterion, type GradedRequest, type GradedToken } from '../clientTraffic.js';

// One early fetch is a restart or a second instance; two or more is a habit.
const TOLERATED_EARLY_FETCHES = 1;

/**
 * Token reuse: a new token for a tenant while the previous one still had more than half its lifetime
 * left, had not been refused and had not been invalidated (expire-all, key rotation), is an early fetch.
 */
export const tokenReuse: Criterion = ({ requests, tokens }, { invalidations }) => {
  const calls = requests.filter(isFhirCall);
  if (calls.length < 2) return { result: 'not-observed', summary: 'fewer than two FHIR calls', evidence: [] };
  const refusedAt = firstRefusals(requests);
  const current = new Map<string, GradedToken>();
  const early: GradedRequest[] = [];
  const fetches: GradedRequest[] = [];
  const notes = new Map<GradedRequest, string>();
  for (const request of requests) {
    const token = isTokenRequest(request) && request.status === 200 && request.tokenJti !== undefined ? tokens.get(request.tokenJti) : undefined;
    if (token === undefined) continue;
    fetches.push(request);
    const previous = current.get(token.tenantId);
    current.set(token.tenantId, token);
    if (previous === undefined) continue;
    const asked = startOf(request);
    const left = previous.expiresAt - asked;
    const lifetime = previous.expiresAt - previous.issuedAt;
    const refused = (refusedAt.get(previous.jti) ?? Infinity) <= asked;
    const invalidated = invalidations.some((at) => at >= previous.issuedAt && at <= asked);
    if (!refused && !invalidated && left > lifetime / 2) {
      early.push(request);
      notes.set(request, `token #${token.ordinal} fetched while token #${previous.ordinal} had ${seconds(left)} of ${seconds(lifetime)} left`);
    }
  }
  const used = new Set(calls.flatMap((call) => (call.tokenJti === undefined ? [] : [call.tokenJti]))).size;
  if (early.length > TOLERATED_EARLY_FETCHES) {
    return {
      result: 'fail',
      summary: `${early.length} of ${fetches.length} tokens fetched while the previous one had more than half its lifetime left (${calls.length} FHIR calls on ${used} tokens)`,
      evidence: early.slice(0, MAX_EVIDENCE).map((request) => evidenceOf(request, notes.get(request) ?? '')),
    };
  }
  return {
    result: 'pass',
    summary: `${calls.length} FHIR calls on ${used} tokens`,
    evidence: fetches.slice(0, MAX_EVIDENCE).map((request) => evidenceOf(request, `token #${tokens.get(request.tokenJti ?? '')?.ordinal ?? '?'} fetched`)),
  };
};

/** When each token was first answered with 401. */
function firstRefusals(requests: readonly GradedRequest[]): Map<string, number> {
  const refused = new Map<string, number>();
  for (const request of requests) {
    if (request.status !== 401 || request.tokenJti === undefined || !isFhirCall(request)) continue;
    refused.set(request.tokenJti, Math.min(refused.get(request.tokenJti) ?? Infinity, request.at));
  }
  return refused;
}
