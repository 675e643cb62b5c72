import { timingChecks } from './checkCatalog.js';
import type { TimedCall } from './checkReport.js';
import { failed, passed, skipped, type CheckRun, type LoggedExchange } from './checkRun.js';
import { round } from './reportedExchange.js';
import type { RunFacts } from './runFacts.js';

const SLOWEST_LISTED = 5;

/** How long the partner made the client wait: each call against a threshold, and the three calls that open a patient. */
export async function timingStage(run: CheckRun, facts: RunFacts): Promise<void> {
  const { slowCallMs, pageLoadMs } = facts.options;
  const checks = timingChecks({ slowCallMs, pageLoadMs });
  await run.check(checks.slowCalls, async () => {
    const calls = run.log.filter((logged) => logged.check !== checks.slowCalls.id);
    if (calls.length === 0) return skipped('no call was made');
    const slow = slowestCalls(calls, calls.length).filter((call) => call.ms > slowCallMs);
    const slowest = slowestCalls(calls, 1)[0] as TimedCall;
    if (slow.length === 0) return { ...passed(`${calls.length} calls; the slowest took ${slowest.ms} ms (${slowest.method} ${slowest.url})`), examined: calls.length };
    const named = slow.slice(0, 3).map((call) => `${call.method} ${call.url} ${call.ms} ms`).join('; ');
    return { ...failed(`${slow.length} of ${calls.length} calls took over ${slowCallMs} ms: ${named}`), examined: calls.length };
  });
  await run.check(checks.pageLoad, async () => {
    const { searchMs, readMs, batchMs } = facts.pageLoad;
    if (searchMs === undefined || readMs === undefined || batchMs === undefined) return skipped('the patient search, read and batch did not all run');
    const total = round(searchMs + readMs + batchMs);
    const parts = `search ${round(searchMs)} + read ${round(readMs)} + batch ${round(batchMs)} ms`;
    return total <= pageLoadMs ? passed(`${total} ms (${parts})`) : failed(`${total} ms (${parts}), over ${pageLoadMs} ms`);
  });
}

/** The `limit` slowest calls, slowest first. */
export function slowestCalls(calls: readonly LoggedExchange[], limit = SLOWEST_LISTED): TimedCall[] {
  return [...calls]
    .sort((a, b) => b.exchange.ms - a.exchange.ms)
    .slice(0, limit)
    .map(({ check, exchange }) => ({
      check,
      method: exchange.request.method,
      url: exchange.request.url,
      ...(exchange.status === undefined ? {} : { status: exchange.status }),
      ms: round(exchange.ms),
    }));
}
