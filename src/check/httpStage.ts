import { DISCOVERY, HTTP } from './checkCatalog.js';
import { unmet } from './checkPrerequisites.js';
import { failed, passed, skipped, type CheckRun, type LoggedExchange, type Verdict } from './checkRun.js';
import { callFhir } from './clientRequests.js';
import { isObject } from './fhirJson.js';
import type { RunFacts } from './runFacts.js';
import type { VersionCallSet } from './versionCallSets.js';

// An id no partner holds: reading it provokes the 404 whose body the OperationOutcome check reads.
const MISSING_PATIENT_ID = 'patients-sandbox-check-missing';

/**
 * The wire format of every FHIR answer the run received: an OperationOutcome whenever it is an error
 * (one deliberate 404 makes sure there is one to look at), JSON, and the version's media type.
 */
export async function httpStage(run: CheckRun, facts: RunFacts): Promise<void> {
  // First, so its deliberate 404 is judged by the two checks after it as well.
  await run.check(HTTP.operationOutcome, () => operationOutcomeVerdict(run, facts));
  await run.check(HTTP.jsonAnswers, async () => {
    const answers = fhirAnswers(run, facts).filter((logged) => logged.exchange.text !== '');
    const offending = answers.filter((logged) => {
      const parsed = run.json(logged.exchange);
      return !parsed.ok || !isObject(parsed.value);
    });
    const first = offending[0];
    if (first === undefined) return { ...passed(`${answers.length} answers, all JSON`), examined: answers.length };
    const parsed = run.json(first.exchange);
    const why = parsed.ok ? 'the body is not a JSON object' : parsed.problem;
    return { ...failed(`${offending.length} of ${answers.length} answers are not JSON; first ${describeCall(first)}: ${why}`, first.exchange), examined: answers.length };
  });
  await run.check(HTTP.contentType, async () => {
    const waiting = unmet(facts, 'version');
    if (waiting !== undefined) return waiting;
    const expected = (facts.callSet as VersionCallSet).mediaType;
    const answers = fhirAnswers(run, facts).filter((logged) => logged.exchange.text !== '');
    const offending = answers.filter((logged) => mediaType(logged.exchange.contentType) !== expected);
    const first = offending[0];
    if (first === undefined) return { ...passed(`${answers.length} answers, all ${expected}`), examined: answers.length };
    const got = first.exchange.contentType ?? 'no Content-Type';
    return { ...failed(`${offending.length} of ${answers.length} answers are not ${expected}; first ${describeCall(first)}: ${got}`, first.exchange), examined: answers.length };
  });
}

async function operationOutcomeVerdict(run: CheckRun, facts: RunFacts): Promise<Verdict> {
  if (unmet(facts, 'version', 'token') === undefined) await callFhir(run, facts, 'GET', `Patient/${MISSING_PATIENT_ID}`);
  const errors = fhirAnswers(run, facts).filter((logged) => (logged.exchange.status ?? 0) >= 400);
  if (errors.length === 0) return skipped('no FHIR error answer came back to look at');
  const offending = errors.filter((logged) => {
    const parsed = run.json(logged.exchange);
    return !(parsed.ok && isObject(parsed.value) && parsed.value.resourceType === 'OperationOutcome' && Array.isArray(parsed.value.issue));
  });
  const first = offending[0];
  if (first === undefined) return { ...passed(`${errors.length} error answers, all OperationOutcomes`), examined: errors.length };
  return {
    ...failed(`${offending.length} of ${errors.length} error answers carry no OperationOutcome; first ${describeCall(first)} (HTTP ${String(first.exchange.status)})`, first.exchange),
    examined: errors.length,
  };
}

/** Answers from the FHIR base itself; the token endpoint and the SMART discovery document have their own rules. */
function fhirAnswers(run: CheckRun, facts: RunFacts): LoggedExchange[] {
  const base = facts.options.baseUrl;
  return run.log.filter(
    (logged) =>
      logged.exchange.status !== undefined &&
      // An answer that broke off is its own check's failure, whatever its format.
      logged.exchange.failure === undefined &&
      logged.check !== DISCOVERY.smartConfiguration.id &&
      logged.exchange.request.url !== facts.tokenUrl &&
      (logged.exchange.request.url === base || logged.exchange.request.url.startsWith(`${base}/`)),
  );
}

function mediaType(contentType: string | undefined): string | undefined {
  return contentType?.split(';')[0]?.trim().toLowerCase();
}

function describeCall(logged: LoggedExchange): string {
  return `${logged.exchange.request.method} ${logged.exchange.request.url} (${logged.check})`;
}
