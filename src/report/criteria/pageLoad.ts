import { evidenceOf, isFhirCall, MAX_EVIDENCE, type Criterion, type GradedRequest, tenantOf } from '../clientTraffic.js';
import type { Evidence } from '../reportCard.js';

/** The searches the reference client batches when it opens a patient (see the contract's resource table). */
const PAGE_LOAD_TYPES = new Set(['Observation', 'Condition', 'Encounter', 'AllergyIntolerance', 'MedicationOrder', 'MedicationRequest', 'MedicationStatement', 'Coverage']);
// Separate searches for one patient this close together belong to one page load.
const PAGE_LOAD_WINDOW_MS = 60_000;
const SEARCH_PATH = /^\/fhir\/[^/]+\/([A-Za-z]+)(?:\/_search)?$/;

function patientSearched(request: GradedRequest): { type: string; patient: string } | undefined {
  const type = SEARCH_PATH.exec(request.path)?.[1];
  if (type === undefined || !PAGE_LOAD_TYPES.has(type) || request.query === undefined) return undefined;
  const params = new URLSearchParams(request.query);
  const patient = params.get('patient') ?? params.get('subject')?.replace(/^Patient\//, '') ?? undefined;
  return patient === undefined ? undefined : { type, patient };
}

/** Page load: a patient's card comes from one batch, not from a search per resource type. */
export const pageLoad: Criterion = ({ requests, tokens }) => {
  const batches = requests.filter((request) => isFhirCall(request) && request.method === 'POST' && request.route === '/fhir/:version');
  const recent = new Map<string, Array<{ request: GradedRequest; type: string }>>();
  const problems: Evidence[] = [];
  for (const request of requests) {
    if (!isFhirCall(request)) continue;
    const searched = patientSearched(request);
    if (searched === undefined) continue;
    const key = `${tenantOf(request, tokens) ?? '-'} ${searched.patient}`;
    const earlier = (recent.get(key) ?? []).filter((entry) => request.at - entry.request.at <= PAGE_LOAD_WINDOW_MS);
    const typesBefore = new Set(earlier.map((entry) => entry.type));
    earlier.push({ request, type: searched.type });
    recent.set(key, earlier);
    // Reported once per page load: when its second resource type arrives on its own.
    if (typesBefore.size === 1 && !typesBefore.has(searched.type)) {
      problems.push(evidenceOf(request, `patient ${searched.patient}: ${[...typesBefore, searched.type].join(' and ')} searched one by one, not in a batch`));
    }
  }
  if (problems.length > 0) return { result: 'fail', summary: `${problems.length} patient card(s) loaded with separate searches`, evidence: problems.slice(0, MAX_EVIDENCE) };
  if (batches.length === 0) return { result: 'not-observed', summary: 'no batch and no page-load searches', evidence: [] };
  return { result: 'pass', summary: `${batches.length} batch(es), no page load split into separate searches`, evidence: batches.slice(0, MAX_EVIDENCE).map((batch) => evidenceOf(batch, `batch POST ${batch.path}`)) };
};
