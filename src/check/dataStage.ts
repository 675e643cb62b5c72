import { validateResource } from '../fhir/validation/validateResource.js';
import { describeAnswer } from './answerReading.js';
import { DATA, fieldsCheck } from './checkCatalog.js';
import { unmet } from './checkPrerequisites.js';
import { failed, passed, skipped, type CheckRun, type LoggedExchange, type Verdict } from './checkRun.js';
import { callFhir } from './clientRequests.js';
import { isObject, resourceKey, type JsonObject } from './fhirJson.js';
import type { Exchange } from './httpTransport.js';
import { clinicalFields, missingFields, patientFields, type FieldRequirement } from './requiredFields.js';
import { resourceReferences, sampleByType } from './resourceReferences.js';
import type { RunFacts } from './runFacts.js';
import type { VersionCallSet } from './versionCallSets.js';

// Reads per run for the reference check: enough to cover every kind of reference a patient card holds.
const MAX_REFERENCE_READS = 20;
// Problems named in a detail line; the rest are counted.
const NAMED_PROBLEMS = 3;

/** What came back, judged as data: the fields the client reads, validity against the official definitions, references. */
export async function dataStage(run: CheckRun, facts: RunFacts): Promise<void> {
  await run.check(DATA.patientFields, async () => {
    const waiting = unmet(facts, 'version');
    if (waiting !== undefined) return waiting;
    if (facts.patients.size === 0) return skipped('no Patient came back to look at');
    return fieldsVerdict('Patient', [...facts.patients.values()], patientFields(facts.callSet as VersionCallSet));
  });
  if (facts.callSet !== undefined) {
    for (const [type, requirements] of Object.entries(clinicalFields(facts.callSet))) {
      await run.check(fieldsCheck(type, requirements.map((requirement) => requirement.label)), async () => {
        const resources = [...(facts.clinical.get(type)?.values() ?? [])];
        return resources.length === 0 ? skipped(`no ${type} came back for this patient`) : fieldsVerdict(type, resources, requirements);
      });
    }
  }
  await run.check(DATA.referencesResolve, () => referencesVerdict(run, facts));
  await run.check(DATA.validResources, async () => validityVerdict(run, facts));
}

function fieldsVerdict(type: string, resources: readonly JsonObject[], requirements: readonly FieldRequirement[]): Verdict {
  const lacking = new Map<string, string[]>();
  for (const resource of resources) {
    for (const label of missingFields(resource, requirements)) lacking.set(label, [...(lacking.get(label) ?? []), resourceKey(resource)]);
  }
  if (lacking.size === 0) return passed(`${resources.length} ${type} resource${resources.length === 1 ? '' : 's'}, none missing a field`);
  const problems = [...lacking].map(([label, keys]) => `${label} missing on ${keys.length} of ${resources.length} (e.g. ${keys[0]})`);
  return failed(problems.join('; '));
}

/** Every FHIR body the run received, validated once. */
function validityVerdict(run: CheckRun, facts: RunFacts): Verdict {
  const waiting = unmet(facts, 'version');
  if (waiting !== undefined) return waiting;
  const version = (facts.callSet as VersionCallSet).validateAs;
  const bodies = fhirBodies(run, facts);
  const invalid: string[] = [];
  for (const { logged, body } of bodies) {
    const issues = validateResource(version, body);
    const first = issues[0];
    if (first !== undefined) invalid.push(`${logged.exchange.request.method} ${logged.exchange.request.url}: ${first.path} ${first.message}${issues.length > 1 ? ` (+${issues.length - 1} more)` : ''}`);
  }
  const verdict =
    invalid.length === 0
      ? passed(`${bodies.length} bodies valid ${(facts.callSet as VersionCallSet).label}`)
      : failed(`${invalid.length} of ${bodies.length} bodies invalid: ${invalid.slice(0, NAMED_PROBLEMS).join('; ')}`);
  return { ...verdict, examined: bodies.length };
}

/** Answers from the FHIR base that parsed as a resource (token answers and discovery extras are not FHIR resources). */
function fhirBodies(run: CheckRun, facts: RunFacts): Array<{ logged: LoggedExchange; body: JsonObject }> {
  return run.log.flatMap((logged) => {
    if (!logged.exchange.request.url.startsWith(facts.options.baseUrl) || logged.exchange.status === undefined || logged.exchange.failure !== undefined) return [];
    const parsed = run.json(logged.exchange);
    return parsed.ok && isObject(parsed.value) && typeof parsed.value.resourceType === 'string' ? [{ logged, body: parsed.value }] : [];
  });
}

async function referencesVerdict(run: CheckRun, facts: RunFacts): Promise<Verdict> {
  const waiting = unmet(facts, 'version', 'token', 'patient');
  if (waiting !== undefined) return waiting;
  const sources = [...(facts.patient === undefined ? [] : [facts.patient]), ...[...facts.clinical.values()].flatMap((byKey) => [...byKey.values()])];
  const own = `Patient/${facts.patientId as string}`;
  const references = resourceReferences(sources, facts.options.baseUrl).filter((reference) => reference !== own);
  if (references.length === 0) return skipped("the patient's resources refer to nothing besides the patient");
  const chosen = sampleByType(references, MAX_REFERENCE_READS);
  const unresolved: string[] = [];
  let firstFailure: Exchange | undefined;
  for (const reference of chosen) {
    const exchange = await callFhir(run, facts, 'GET', reference);
    const [type, id] = reference.split('/');
    const parsed = exchange.status === 200 ? run.json(exchange) : undefined;
    const body = parsed?.ok && isObject(parsed.value) ? parsed.value : undefined;
    if (body?.resourceType === type && body?.id === id) continue;
    unresolved.push(`${reference}: ${body === undefined ? describeAnswer(run, exchange) : `got ${resourceKey(body)}`}`);
    firstFailure ??= exchange;
  }
  const counted = references.length > chosen.length ? ` (${chosen.length} of ${references.length}, every type)` : '';
  if (unresolved.length > 0) return failed(`${unresolved.length} of ${chosen.length} references do not resolve${counted}: ${unresolved.slice(0, NAMED_PROBLEMS).join('; ')}`, firstFailure);
  return passed(`${chosen.length} references read${counted}: ${summarizeTypes(chosen)}`);
}

function summarizeTypes(references: readonly string[]): string {
  const counts = new Map<string, number>();
  for (const reference of references) {
    const type = reference.split('/')[0] ?? reference;
    counts.set(type, (counts.get(type) ?? 0) + 1);
  }
  return [...counts].map(([type, count]) => `${type} ×${count}`).join(', ');
}
