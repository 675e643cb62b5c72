import { callKey, describeCall, evidenceOf, isFhirCall, MAX_EVIDENCE, startOf, tenantOf, tokenLabel, type Criterion, type GradedRequest } from '../clientTraffic.js';
import type { Evidence } from '../reportCard.js';

// A call refused this many times in a row is a loop, whatever the client does in between.
const MAX_REFUSALS_IN_A_ROW = 3;

/**
 * Token refresh: after a 401 on a FHIR call, the refused token is never sent again, and the next call
 * for that tenant repeats the refused one with another token; a call refused again and again is a loop.
 */
export const tokenRefresh: Criterion = ({ requests, tokens }) => {
  const calls = requests.filter(isFhirCall);
  const refusals = calls.filter((call) => call.status === 401);
  if (refusals.length === 0) return { result: 'not-observed', summary: 'no FHIR call was answered 401', evidence: [] };
  const failures: Evidence[] = [];
  const good: Evidence[] = [];
  let retried = 0;
  const inARow = new Map<string, number>();
  // Each tenant's calls and each token's uses in arrival order, with positions, so "what came next" is a short scan.
  const byTenant = groupWithPositions(calls, (call) => tenantOf(call, tokens) ?? '-');
  const byToken = groupWithPositions(calls, (call) => call.tokenJti ?? '');
  for (const call of calls) {
    const key = callKey(call, tokens);
    if (call.status !== 401) {
      inARow.delete(key);
      continue;
    }
    const count = (inARow.get(key) ?? 0) + 1;
    inARow.set(key, count);
    if (count === MAX_REFUSALS_IN_A_ROW + 1) failures.push(evidenceOf(call, `${describeCall(call)} refused ${count} times in a row: a refresh loop`));
    const after = (next: GradedRequest) => next !== call && startOf(next) >= call.at;
    const reuse = call.tokenJti === undefined ? undefined : firstAfter(byToken, call.tokenJti, call, after);
    if (reuse !== undefined) {
      failures.push(evidenceOf(reuse, `sent ${tokenLabel(reuse.tokenJti, tokens)} again after it was refused (${call.requestId})`));
      continue;
    }
    const next = firstAfter(byTenant, tenantOf(call, tokens) ?? '-', call, after);
    if (next === undefined || count > 1) continue;
    if (callKey(next, tokens) === key) {
      retried++;
      good.push(evidenceOf(next, `retried ${describeCall(next)} with ${tokenLabel(next.tokenJti, tokens)} after ${call.requestId} was refused`));
    } else {
      failures.push(evidenceOf(next, `moved on to ${describeCall(next)} without retrying the refused ${describeCall(call)} (${call.requestId})`));
    }
  }
  if (failures.length > 0) {
    return { result: 'fail', summary: `${failures.length} problem(s) after ${refusals.length} refusals`, evidence: unique(failures).slice(0, MAX_EVIDENCE) };
  }
  return { result: 'pass', summary: `${refusals.length} refusals; a new token and one retry each (${retried} retried)`, evidence: good.slice(0, MAX_EVIDENCE) };
};

type Grouped = { lists: Map<string, GradedRequest[]>; positions: Map<GradedRequest, number> };

function groupWithPositions(calls: readonly GradedRequest[], keyOf: (call: GradedRequest) => string): Grouped {
  const lists = new Map<string, GradedRequest[]>();
  const positions = new Map<GradedRequest, number>();
  for (const call of calls) {
    const key = keyOf(call);
    const list = lists.get(key) ?? [];
    if (list.length === 0) lists.set(key, list);
    positions.set(call, list.length);
    list.push(call);
  }
  return { lists, positions };
}

/** The first call of group `key` after `call` (in arrival order) that `accept` takes. */
function firstAfter(grouped: Grouped, key: string, call: GradedRequest, accept: (next: GradedRequest) => boolean): GradedRequest | undefined {
  const list = grouped.lists.get(key) ?? [];
  const from = grouped.positions.get(call) ?? -1;
  // Calls in the same group as `call` sit after it; in another group, start from the beginning.
  for (let index = list[from] === call ? from + 1 : 0; index < list.length; index++) {
    const next = list[index] as GradedRequest;
    if (accept(next)) return next;
  }
  return undefined;
}

function unique(evidence: Evidence[]): Evidence[] {
  const seen = new Set<string>();
  return evidence.filter((item) => !seen.has(item.requestId) && seen.add(item.requestId) !== undefined);
}
