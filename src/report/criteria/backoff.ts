import { attemptsByCall, byTime, describeCall, evidenceOf, MAX_EVIDENCE, seconds, startOf, type Criterion, type GradedRequest } from '../clientTraffic.js';
import type { Evidence } from '../reportCard.js';

// Answers a client cannot use, besides 5xx and no answer at all: a retry after them is fair.
const UNUSABLE_ANSWERS = new Set(['truncate', 'malformed-json', 'wrong-content-type']);
// Jitter may shorten a gap a little without the backoff shrinking.
const JITTER_TOLERANCE = 0.9;

/** 5xx, 429, a dropped or unusable answer, without Retry-After (whose wait is the server's, graded apart). */
function failedWithoutHint(request: GradedRequest): boolean {
  if (request.retryAfterSeconds !== undefined) return false;
  return request.status >= 500 || request.status === 0 || request.status === 429 || (request.faultKind !== undefined && UNUSABLE_ANSWERS.has(request.faultKind));
}

/**
 * Backoff: the attempts of one call that follow a failure form a run until a pause of at least
 * `pauseSeconds` (the client gave up for now). In each run the gaps between attempts grow (each at
 * least 90% of the one before, the last longer than the first), and it has at most `maxRetries` retries.
 */
export const backoff: Criterion = ({ requests, tokens }, { settings }) => {
  const pauseMs = settings.backoff.pauseSeconds * 1000;
  const problems: Evidence[] = [];
  const examples: Evidence[] = [];
  let runs = 0;
  let longest = 0;
  for (const attempts of attemptsByCall(requests, tokens).values()) {
    for (const run of retryRuns(attempts, pauseMs)) {
      runs++;
      const retries = run.length - 1;
      longest = Math.max(longest, retries);
      const gaps = run.slice(1).map((attempt, index) => startOf(attempt) - (run[index] as GradedRequest).at);
      const last = run[run.length - 1] as GradedRequest;
      const shown = gaps.map(seconds).join(', ');
      if (retries > settings.backoff.maxRetries) {
        problems.push(evidenceOf(last, `${describeCall(last)} retried ${retries} times without a pause of ${settings.backoff.pauseSeconds}s (limit ${settings.backoff.maxRetries})`));
      } else if (!growing(gaps)) {
        problems.push(evidenceOf(last, `${describeCall(last)} retried after ${shown}: the gaps do not grow`));
      } else {
        examples.push(evidenceOf(last, `${describeCall(last)} retried after ${shown}`));
      }
    }
  }
  if (runs === 0) return { result: 'not-observed', summary: 'no call was retried after a 5xx, 429 or dropped answer without Retry-After', evidence: [] };
  if (problems.length > 0) return { result: 'fail', summary: `${problems.length} of ${runs} retry runs without backoff or without end`, evidence: problems.sort(byTime).slice(0, MAX_EVIDENCE) };
  return { result: 'pass', summary: `${runs} retry runs, gaps growing, at most ${longest} retries in a run`, evidence: examples.sort(byTime).slice(0, MAX_EVIDENCE) };
};

/** Runs of attempts of one call: each starts with a failure and takes the attempts that follow it closely. */
function retryRuns(attempts: readonly GradedRequest[], pauseMs: number): GradedRequest[][] {
  const runs: GradedRequest[][] = [];
  let run: GradedRequest[] = [];
  for (const attempt of attempts) {
    const previous = run[run.length - 1];
    const continues = previous !== undefined && failedWithoutHint(previous) && startOf(attempt) - previous.at < pauseMs;
    if (continues) run.push(attempt);
    else {
      if (run.length > 1) runs.push(run);
      run = [attempt];
    }
  }
  if (run.length > 1) runs.push(run);
  return runs;
}

function growing(gaps: readonly number[]): boolean {
  if (gaps.length < 2) return true;
  const shrinks = gaps.some((gap, index) => index > 0 && gap < (gaps[index - 1] as number) * JITTER_TOLERANCE);
  return !shrinks && (gaps[gaps.length - 1] as number) > (gaps[0] as number);
}
