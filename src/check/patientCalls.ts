import { patientName } from '../fhir/patientName.js';
import type { Resource } from '../fhir/types.js';
import { resourceOf, searchsetOf } from './answerReading.js';
import { CALLS } from './checkCatalog.js';
import { unmet } from './checkPrerequisites.js';
import { failed, passed, skipped, type CheckRun, type Verdict } from './checkRun.js';
import { callFhir } from './clientRequests.js';
import { bundleResources, isObject, type JsonObject } from './fhirJson.js';
import { valuesAt } from './fieldPaths.js';
import { rememberClinical, rememberCountedPage, type RunFacts } from './runFacts.js';
import type { VersionCallSet } from './versionCallSets.js';

/** Patients per page of the client's patient list. */
export const PATIENT_PAGE_SIZE = 20;
// A name or MRN search narrows to a handful; this leaves room for common names.
const NARROW_SEARCH_COUNT = 50;

/** Finding and opening a patient, as the client does: POST _search, then read; then the searches a user types. */
export async function patientCalls(run: CheckRun, facts: RunFacts): Promise<void> {
  await run.check(CALLS.patientSearch, () => patientSearchVerdict(run, facts));
  await run.check(CALLS.patientRead, () => patientReadVerdict(run, facts));
  await run.check(CALLS.patientSearchByName, () => {
    const name = facts.patient === undefined ? undefined : patientName(facts.patient as Resource);
    if (name === undefined) return Promise.resolve(skipped(facts.patient === undefined ? 'no patient was read (calls.patient-read)' : 'the patient has no given and family name (see data.patient-fields)'));
    const form = new URLSearchParams({ [(facts.callSet as VersionCallSet).familyField]: name.family, given: name.given });
    return findsPatient(run, facts, form, `${name.given} ${name.family}`);
  });
  await run.check(CALLS.patientSearchByIdentifier, () => {
    const mrn = facts.patient === undefined ? undefined : medicalRecordNumber(facts.patient);
    if (mrn === undefined) return Promise.resolve(skipped(facts.patient === undefined ? 'no patient was read (calls.patient-read)' : 'the patient has no MRN (see data.patient-fields)'));
    return findsPatient(run, facts, new URLSearchParams({ identifier: mrn }), `MRN ${mrn}`);
  });
}

/** The form the client posts: the user's search (in the version's spelling), the patient's id, or just a page of patients. */
function patientSearchForm(facts: RunFacts): URLSearchParams {
  const { search, patientId } = facts.options;
  const form = new URLSearchParams();
  if (search !== undefined) {
    for (const [name, value] of search) form.append(name === 'family' ? (facts.callSet as VersionCallSet).familyField : name, value);
  } else if (patientId !== undefined) {
    form.set('_id', patientId);
  }
  if (!form.has('_count')) form.set('_count', String(PATIENT_PAGE_SIZE));
  return form;
}

async function patientSearchVerdict(run: CheckRun, facts: RunFacts): Promise<Verdict> {
  const chosen = facts.options.patientId;
  if (chosen !== undefined) facts.patientId = chosen;
  const waiting = unmet(facts, 'version', 'token');
  if (waiting !== undefined) {
    facts.blocked.patient ??= waiting.detail;
    return waiting;
  }
  const form = patientSearchForm(facts);
  const exchange = await callFhir(run, facts, 'POST', 'Patient/_search', { form });
  facts.pageLoad.searchMs = exchange.ms;
  const found = searchsetOf(run, exchange);
  if ('problem' in found) {
    facts.blocked.patient ??= `no patient to open: calls.patient-search failed (${found.problem})`;
    return failed(found.problem, exchange);
  }
  rememberCountedPage(facts, form, found.bundle, exchange);
  const patients = bundleResources(found.bundle).filter((resource) => resource.resourceType === 'Patient');
  for (const patient of patients) rememberClinical(facts, patient);
  const total = String(found.bundle.total);
  if (chosen !== undefined) {
    return patients.some((patient) => patient.id === chosen)
      ? passed(`HTTP 200: Patient/${chosen} found (total ${total})`, exchange)
      : failed(`Patient/${chosen} is not among the ${patients.length} patients returned`, exchange);
  }
  const first = patients.find((patient) => typeof patient.id === 'string');
  if (first === undefined) {
    facts.blocked.patient ??= 'no patient to open: calls.patient-search found none';
    return failed(`no patient matched ${decodeURIComponent(form.toString())}`, exchange);
  }
  facts.patientId = first.id as string;
  return passed(`HTTP 200: ${patients.length} patients on the first page (total ${total}); opening Patient/${facts.patientId}`, exchange);
}

async function patientReadVerdict(run: CheckRun, facts: RunFacts): Promise<Verdict> {
  const waiting = unmet(facts, 'version', 'token', 'patient');
  if (waiting !== undefined) return waiting;
  const id = facts.patientId as string;
  const exchange = await callFhir(run, facts, 'GET', `Patient/${encodeURIComponent(id)}`);
  facts.pageLoad.readMs = exchange.ms;
  const read = resourceOf(run, exchange, 'Patient');
  if ('problem' in read) return failed(read.problem, exchange);
  if (read.resource.id !== id) return failed(`asked for Patient/${id}, got Patient/${String(read.resource.id)}`, exchange);
  facts.patient = read.resource;
  rememberClinical(facts, read.resource);
  return passed(`HTTP 200: Patient/${id}`, exchange);
}

async function findsPatient(run: CheckRun, facts: RunFacts, form: URLSearchParams, what: string): Promise<Verdict> {
  const waiting = unmet(facts, 'version', 'token', 'patient');
  if (waiting !== undefined) return waiting;
  form.set('_count', String(NARROW_SEARCH_COUNT));
  const exchange = await callFhir(run, facts, 'POST', 'Patient/_search', { form });
  const found = searchsetOf(run, exchange);
  if ('problem' in found) return failed(found.problem, exchange);
  rememberCountedPage(facts, form, found.bundle, exchange);
  const ids = bundleResources(found.bundle).map((resource) => resource.id);
  const target = facts.patientId as string;
  const matches = `${ids.length} match${ids.length === 1 ? '' : 'es'}`;
  return ids.includes(target)
    ? passed(`${what}: Patient/${target} found (${matches})`, exchange)
    : failed(`${what}: Patient/${target} is not among the ${matches}`, exchange);
}


function medicalRecordNumber(patient: JsonObject): string | undefined {
  const identifier = valuesAt(patient, 'identifier').find(
    (candidate) => isObject(candidate) && typeof candidate.value === 'string' && valuesAt(candidate, 'type.coding.code').includes('MR'),
  );
  return isObject(identifier) ? (identifier.value as string) : undefined;
}
