import { attemptsByCall, byTime, describeCall, evidenceOf, MAX_EVIDENCE, seconds, startOf, type Criterion } from '../clientTraffic.js';
import type { Evidence } from '../reportCard.js';

/** Retry-After: the next attempt of a call answered with Retry-After starts no earlier than it asked. */
export const retryAfter: Criterion = ({ requests, tokens }) => {
  const asked = requests.filter((request) => request.retryAfterSeconds !== undefined);
  if (asked.length === 0) return { result: 'not-observed', summary: 'no answer carried Retry-After', evidence: [] };
  const early: Evidence[] = [];
  const waited: Evidence[] = [];
  for (const attempts of attemptsByCall(requests, tokens).values()) {
    for (const [index, answer] of attempts.entries()) {
      if (answer.retryAfterSeconds === undefined) continue;
      const retry = attempts.slice(index + 1).find((next) => startOf(next) >= answer.at);
      if (retry === undefined) continue;
      const gap = startOf(retry) - answer.at;
      const note = `${describeCall(retry)} again ${seconds(gap)} after ${answer.requestId} (${answer.status}) asked for ${answer.retryAfterSeconds}s`;
      (gap < answer.retryAfterSeconds * 1000 ? early : waited).push(evidenceOf(retry, note));
    }
  }
  if (early.length > 0) {
    return { result: 'fail', summary: `${early.length} of ${early.length + waited.length} retries came before Retry-After had passed`, evidence: early.sort(byTime).slice(0, MAX_EVIDENCE) };
  }
  return { result: 'pass', summary: `${asked.length} answers with Retry-After; ${waited.length} retried after waiting, none early`, evidence: waited.sort(byTime).slice(0, MAX_EVIDENCE) };
};
