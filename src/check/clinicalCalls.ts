import { pageLoadBatch, pageLoadSearches } from '../simulator/pageLoadBatch.js';
import { describeAnswer, searchsetOf } from './answerReading.js';
import { CALLS, searchCheck, type CheckDefinition } from './checkCatalog.js';
import { unmet } from './checkPrerequisites.js';
import { failed, passed, type CheckRun, type Verdict } from './checkRun.js';
import { callFhir } from './clientRequests.js';
import { bundleEntries, bundleResources, isObject, resourceKey, searchsetProblem, type JsonObject } from './fhirJson.js';
import { valuesAt } from './fieldPaths.js';
import { rememberClinical, rememberCountedPage, type RunFacts } from './runFacts.js';
import type { VersionCallSet } from './versionCallSets.js';

const PATIENT_PLACEHOLDER = 'PATIENT-ID';

/** Where each resource type the client sorts by date keeps that date. */
const SORT_DATES: Readonly<Record<string, readonly string[]>> = {
  Observation: ['effectiveDateTime', 'effectivePeriod.start', 'effectiveInstant'],
  Encounter: ['period.start'],
};

export interface ClinicalSearch {
  definition: CheckDefinition;
  resourceType: string;
  /** Below the base, for this run's patient. */
  path: string;
}

/** The patient card's searches, each sent on its own, in the client's order; then the same as one batch. */
export function clinicalSearches(callSet: VersionCallSet, patientId: string): ClinicalSearch[] {
  const templates = searchUrls(callSet, PATIENT_PLACEHOLDER);
  return searchUrls(callSet, patientId).map((path, index) => {
    const resourceType = path.split('?')[0] ?? path;
    const example = (templates[index] ?? path).replace(PATIENT_PLACEHOLDER, '<id>');
    return { definition: searchCheck(resourceType, example), resourceType, path };
  });
}

function searchUrls(callSet: VersionCallSet, patientId: string): string[] {
  return [...pageLoadSearches(callSet.searchSyntax, patientId), ...callSet.extraSearches(patientId)];
}

export async function clinicalCalls(run: CheckRun, facts: RunFacts): Promise<void> {
  if (facts.callSet === undefined) return;
  for (const search of clinicalSearches(facts.callSet, facts.patientId ?? PATIENT_PLACEHOLDER)) {
    await run.check(search.definition, () => searchVerdict(run, facts, search));
  }
  await run.check(CALLS.pageLoadBatch, () => batchVerdict(run, facts));
}

async function searchVerdict(run: CheckRun, facts: RunFacts, search: ClinicalSearch): Promise<Verdict> {
  const waiting = unmet(facts, 'version', 'token', 'patient');
  if (waiting !== undefined) return waiting;
  const exchange = await callFhir(run, facts, 'GET', search.path);
  const found = searchsetOf(run, exchange);
  if ('problem' in found) return failed(found.problem, exchange);
  rememberCountedPage(facts, new URLSearchParams(search.path.split('?')[1] ?? ''), found.bundle, exchange);
  const resources = bundleResources(found.bundle);
  const stranger = resources.find((resource) => resource.resourceType !== search.resourceType && resource.resourceType !== 'OperationOutcome');
  if (stranger !== undefined) return failed(`the searchset holds ${resourceKey(stranger)}, not only ${search.resourceType}`, exchange);
  const unsorted = /_sort(:desc)?=-?date/.test(search.path) ? sortProblem(resources, search.resourceType) : undefined;
  if (unsorted !== undefined) return failed(unsorted, exchange);
  for (const resource of resources) rememberClinical(facts, resource);
  const matches = resources.filter((resource) => resource.resourceType === search.resourceType).length;
  return passed(`HTTP 200: ${matches} ${search.resourceType} (total ${String(found.bundle.total)})${SORT_DATES[search.resourceType] && /_sort/.test(search.path) ? ', newest first' : ''}`, exchange);
}

/** Dates must not increase down the list: the client asked for newest first. */
function sortProblem(resources: readonly JsonObject[], resourceType: string): string | undefined {
  const paths = SORT_DATES[resourceType];
  if (paths === undefined) return undefined;
  let previous: { key: string; date: string } | undefined;
  for (const resource of resources) {
    const date = paths.flatMap((path) => valuesAt(resource, path)).find((value): value is string => typeof value === 'string');
    if (date === undefined) continue;
    if (previous !== undefined && Date.parse(date) > Date.parse(previous.date)) {
      return `not newest first: ${resourceKey(resource)} (${date}) comes after ${previous.key} (${previous.date})`;
    }
    previous = { key: resourceKey(resource), date };
  }
  return undefined;
}

async function batchVerdict(run: CheckRun, facts: RunFacts): Promise<Verdict> {
  const waiting = unmet(facts, 'version', 'token', 'patient');
  if (waiting !== undefined) return waiting;
  const callSet = facts.callSet as VersionCallSet;
  const batch = pageLoadBatch(callSet.searchSyntax, facts.patientId as string);
  const urls = pageLoadSearches(callSet.searchSyntax, facts.patientId as string);
  const exchange = await callFhir(run, facts, 'POST', '', { json: batch });
  facts.pageLoad.batchMs = exchange.ms;
  if (exchange.status !== 200) return failed(describeAnswer(run, exchange), exchange);
  const parsed = run.json(exchange);
  if (!parsed.ok) return failed(parsed.problem, exchange);
  const bundle = parsed.value;
  if (!isObject(bundle) || bundle.resourceType !== 'Bundle' || bundle.type !== 'batch-response') {
    return failed(`expected a batch-response Bundle, got ${isObject(bundle) ? `${String(bundle.resourceType)} ${String(bundle.type ?? '')}`.trim() : 'no resource'}`, exchange);
  }
  const entries = bundleEntries(bundle);
  if (entries.length !== urls.length) return failed(`${urls.length} requests, ${entries.length} answers`, exchange);
  const refused: string[] = [];
  for (const [index, entry] of entries.entries()) {
    const url = urls[index] ?? '';
    const status = isObject(entry.response) ? entry.response.status : undefined;
    if (typeof status !== 'string') return failed(`entry ${index + 1} (${url}) has no response.status`, exchange);
    if (!/^2\d\d/.test(status)) {
      refused.push(`${url.split('?')[0]} ${status}`);
      continue;
    }
    const problem = searchsetProblem(entry.resource);
    if (problem !== undefined) return failed(`entry ${index + 1} (${url}): ${problem}`, exchange);
    for (const resource of bundleResources(entry.resource as JsonObject)) rememberClinical(facts, resource);
  }
  const answered = `HTTP 200: batch-response with ${entries.length} answers`;
  return passed(refused.length === 0 ? `${answered}, all 2xx` : `${answered}; refused: ${refused.join(', ')}`, exchange);
}
