import { callKey, describeCall, evidenceOf, isFhirCall, MAX_EVIDENCE, startOf, tenantOf, tokenLabel, type Criterion } from '../clientTraffic.js';
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
  for (const [index, call] of calls.entries()) {
    const key = callKey(call, tokens);
    if (call.status !== 401) {
      inARow.delete(key);
      continue;
    }
    const count = (inARow.get(key) ?? 0) + 1;
    inARow.set(key, count);
    if (count === MAX_REFUSALS_IN_A_ROW + 1) failures.push(evidenceOf(call, `${describeCall(call)} refused ${count} times in a row: a refresh loop`));
    const tenant = tenantOf(call, tokens);
    const later = calls.slice(index + 1).filter((next) => startOf(next) >= call.at && tenantOf(next, tokens) === tenant);
    const reuse = later.find((next) => next.tokenJti !== undefined && next.tokenJti === call.tokenJti);
    if (reuse !== undefined) {
      failures.push(evidenceOf(reuse, `sent ${tokenLabel(reuse.tokenJti, tokens)} again after it was refused (${call.requestId})`));
      continue;
    }
    const next = later[0];
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

function unique(evidence: Evidence[]): Evidence[] {
  const seen = new Set<string>();
  return evidence.filter((item) => !seen.has(item.requestId) && seen.add(item.requestId) !== undefined);
}
