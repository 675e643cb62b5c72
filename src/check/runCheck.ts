import { packageVersion } from '../lib/packageRoot.js';
import { resolveCheckOptions, type CheckOptions } from './checkOptions.js';
import { runOutcome, summarize, type CheckReport } from './checkReport.js';
import { CheckRun } from './checkRun.js';
import { clinicalCalls } from './clinicalCalls.js';
import { dataStage } from './dataStage.js';
import { discoveryStage } from './discoveryStage.js';
import { httpStage } from './httpStage.js';
import { createHttpTransport } from './httpTransport.js';
import { pagingCalls } from './pagingCalls.js';
import { patientCalls } from './patientCalls.js';
import { round } from './reportedExchange.js';
import { newRunFacts, type RunFacts } from './runFacts.js';
import { slowestCalls, timingStage } from './timingStage.js';
import { tokenStage } from './tokenStage.js';

/**
 * Checks a partner's FHIR base the way the reference client uses it, over HTTP only, and reports each
 * check with the request that decided it. Throws CheckUsageError for options that cannot make a run and
 * CheckTargetUnreachable when metadata gets no answer at all.
 */
export async function runCheck(options: CheckOptions): Promise<CheckReport> {
  const resolved = resolveCheckOptions(options);
  const transport = createHttpTransport({ timeoutMs: resolved.timeoutMs, insecure: resolved.insecure, clock: resolved.clock });
  const run = new CheckRun(transport, resolved.clock, resolved.onResult);
  const facts = newRunFacts(resolved);
  const startedAt = resolved.clock.now();
  try {
    await discoveryStage(run, facts);
    await tokenStage(run, facts);
    await patientCalls(run, facts);
    await clinicalCalls(run, facts);
    await pagingCalls(run, facts);
    await dataStage(run, facts);
    await httpStage(run, facts);
    await timingStage(run, facts);
  } finally {
    await transport.close();
  }
  return buildReport(run, facts, startedAt);
}

function buildReport(run: CheckRun, facts: RunFacts, startedAt: number): CheckReport {
  const { options } = facts;
  const summary = summarize(run.results);
  const { auth } = options;
  const target: CheckReport['target'] = { baseUrl: options.baseUrl, tenant: options.tenant, scope: options.scope, clientId: options.clientId, clientAuthentication: auth.method };
  if (auth.method === 'private_key_jwt') target.kid = auth.signer.kid;
  if (facts.callSet !== undefined) target.fhirVersion = facts.callSet.version;
  if (facts.declaredFhirVersion !== undefined) target.declaredFhirVersion = facts.declaredFhirVersion;
  if (facts.tokenUrl !== undefined) target.tokenUrl = facts.tokenUrl;
  if (facts.patientId !== undefined) target.patientId = facts.patientId;
  return {
    tool: { name: 'patients-sandbox check', version: packageVersion() },
    target,
    startedAt: new Date(startedAt).toISOString(),
    durationMs: round(run.clock.now() - startedAt),
    strict: options.strict,
    outcome: runOutcome(summary, options.strict),
    summary,
    checks: run.results,
    timing: {
      calls: run.log.length,
      totalMs: round(run.log.reduce((sum, logged) => sum + logged.exchange.ms, 0)),
      slowest: slowestCalls(run.log),
    },
  };
}
