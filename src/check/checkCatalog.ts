import type { CheckLevel, CheckStage } from './checkReport.js';

/** One check as the report names it; `reason` is the contract rule it stands for. */
export interface CheckDefinition {
  id: string;
  stage: CheckStage;
  level: CheckLevel;
  title: string;
  reason: string;
}

function define(stage: CheckStage, name: string, level: CheckLevel, title: string, reason: string): CheckDefinition {
  return { id: `${stage}.${name}`, stage, level, title, reason };
}

/** "AllergyIntolerance" → "allergy-intolerance", for ids. */
export function kebabCase(resourceType: string): string {
  return resourceType.replace(/([a-z0-9])([A-Z])/g, '$1-$2').toLowerCase();
}

export const DISCOVERY = {
  metadata: define('discovery', 'metadata', 'required', 'metadata answers without a token', 'The client reads GET [base]/metadata before it has a token: metadata is public.'),
  resourceType: define(
    'discovery',
    'resource-type',
    'required',
    "metadata is the version's capability resource",
    'DSTU2 serves a Conformance, STU3 and later a CapabilityStatement.',
  ),
  fhirVersion: define('discovery', 'fhir-version', 'required', 'metadata declares fhirVersion', 'The client reads fhirVersion to decide which FHIR version to speak.'),
  oauthUris: define(
    'discovery',
    'oauth-uris',
    'required',
    'metadata advertises the token URL',
    'The token URL is advertised in rest[0].security with the oauth-uris extension (sub-extension "token").',
  ),
  securityService: define(
    'discovery',
    'security-service',
    'recommended',
    'security.service is coded OAuth',
    'rest[0].security.service carries the restful-security-service code OAuth, or SMART-on-FHIR (OAuth as SMART profiles it; what R4 partners show).',
  ),
  smartConfiguration: define(
    'discovery',
    'smart-configuration',
    'recommended',
    '.well-known/smart-configuration agrees with metadata',
    "A partner that also serves SMART discovery names the same token endpoint there as in metadata (and, to a private_key_jwt client, lists private_key_jwt and its key's algorithm).",
  ),
  searchParams: define(
    'discovery',
    'search-params',
    'recommended',
    "the client's search parameters are declared",
    'The capability document lists each resource type the client reads, with the search parameters it sends.',
  ),
};

export const TOKEN = {
  basicAuth: define(
    'token',
    'basic-auth',
    'recommended',
    'client credentials with HTTP Basic',
    'Partners accept client_secret_basic as well as the form post, so a client may use either.',
  ),
  formPost: define(
    'token',
    'form-post',
    'required',
    'client credentials in a form post',
    'POST grant_type=client_credentials, client_id, client_secret and scope=<tenant id> answers access_token, token_type Bearer and expires_in.',
  ),
  clientAssertion: define(
    'token',
    'client-assertion',
    'required',
    'client credentials with a signed client assertion',
    'private_key_jwt (SMART Backend Services): POST grant_type=client_credentials, client_assertion_type jwt-bearer, a client_assertion signed by the registered key (RS384 or ES384; iss = sub = client id, aud = the token URL, exp, jti; kid in the header) and scope=<tenant id> answers access_token, token_type Bearer and expires_in.',
  ),
  tenantInScope: define(
    'token',
    'tenant-in-scope',
    'recommended',
    "the token's scope carries the tenant",
    "The partner routes every call by the tenant ID in the token's scope.",
  ),
  lifetime: define(
    'token',
    'lifetime',
    'recommended',
    'tokens live at least a minute',
    'A token that expires within a minute makes the client fetch a new one for nearly every page load.',
  ),
  wrongSecret: define(
    'token',
    'wrong-secret',
    'required',
    'a wrong secret gets an RFC 6749 error',
    'Token errors follow RFC 6749 section 5.2: a JSON body with error "invalid_client" (HTTP 400 or 401).',
  ),
  assertionReplay: define(
    'token',
    'assertion-replay',
    'required',
    'a replayed assertion is refused',
    'SMART Backend Services: an assertion is good for one token request; one whose jti was seen before gets error "invalid_client" (RFC 6749 section 5.2).',
  ),
  wrongAudience: define(
    'token',
    'wrong-audience',
    'required',
    'an assertion for another audience is refused',
    'SMART Backend Services: aud must be the token endpoint URL; an assertion made out to another one gets error "invalid_client".',
  ),
  tamperedAssertion: define(
    'token',
    'tampered-assertion',
    'required',
    'a tampered assertion is refused',
    'Only the registered key proves the client: an assertion whose signature does not verify gets error "invalid_client".',
  ),
  tamperedRefused: define(
    'token',
    'tampered-refused',
    'required',
    'a tampered token is refused',
    'Every FHIR call but metadata needs a valid bearer token; a refused one gets 401 with WWW-Authenticate: Bearer.',
  ),
};

export const CALLS = {
  patientSearch: define(
    'calls',
    'patient-search',
    'required',
    'POST Patient/_search finds patients',
    'The client finds patients with POST [base]/Patient/_search and a form body; Patient is the one resource it cannot do without.',
  ),
  patientRead: define('calls', 'patient-read', 'required', 'GET Patient/<id> reads the patient', 'Every resource is readable by direct reference: GET [base]/<Type>/<id>.'),
  patientSearchByName: define(
    'calls',
    'patient-search-by-name',
    'required',
    "a search by the patient's family and given name finds them",
    'The client searches by family name (DSTU2: family:contains) and given name.',
  ),
  patientSearchByIdentifier: define(
    'calls',
    'patient-search-by-identifier',
    'recommended',
    "a search by the patient's MRN finds them",
    'The client searches identifier=<MRN>.',
  ),
  pageLoadBatch: define(
    'calls',
    'page-load-batch',
    'required',
    'the page-load batch answers every entry',
    "The client POSTs a batch Bundle of the patient card's searches to the base and reads a batch-response with one answer per entry.",
  ),
  pagingNextLinks: define(
    'calls',
    'paging-next-links',
    'required',
    'next links lead to the last page without repeats',
    'Search paging works: every next link loads, and no entry appears twice.',
  ),
  pagingTotal: define(
    'calls',
    'paging-total',
    'required',
    'Bundle.total matches the entries paged through',
    'Bundle.total is the number of matches, not of entries on the page.',
  ),
  countHonoured: define('calls', 'count-honoured', 'required', '_count limits every page', '_count limits the number of entries on a page.'),
};

/** One of the patient card's searches, sent on its own with the client's exact parameters. */
export function searchCheck(resourceType: string, exampleUrl: string): CheckDefinition {
  return define(
    'calls',
    `search-${kebabCase(resourceType)}`,
    'recommended',
    `GET ${exampleUrl}`,
    `The client sends this ${resourceType} search with exactly these parameters and sort, and reads a searchset Bundle; only Patient is mandatory.`,
  );
}

export const DATA = {
  patientFields: define(
    'data',
    'patient-fields',
    'required',
    'patients carry the fields the client needs',
    'Patient: name.given, name.family, gender, birthDate and the MRN identifier (type MR).',
  ),
  referencesResolve: define(
    'data',
    'references-resolve',
    'required',
    "the patient's references resolve within the tenant",
    'All resources are readable by direct reference, those the patient card refers to (Location, Practitioner, …) included.',
  ),
  validResources: define(
    'data',
    'valid-resources',
    'recommended',
    'every body is valid FHIR of its version',
    'Every resource and Bundle validates against the official definitions of its FHIR version.',
  ),
};

/** The fields of a clinical resource type; the client still loads without them, so a warning. */
export function fieldsCheck(resourceType: string, labels: readonly string[]): CheckDefinition {
  return define(
    'data',
    `${kebabCase(resourceType)}-fields`,
    'recommended',
    `${resourceType} resources carry the fields the client shows`,
    `${resourceType}: ${labels.join(', ')}.`,
  );
}

export const HTTP = {
  operationOutcome: define(
    'http',
    'operation-outcome',
    'required',
    'FHIR errors are OperationOutcomes',
    'Every FHIR error answer carries an OperationOutcome that says what went wrong.',
  ),
  jsonAnswers: define(
    'http',
    'json-answers',
    'required',
    'every answer is JSON',
    'The client asks for FHIR JSON and parses every answer, errors included, as JSON: no XML, no HTML.',
  ),
  contentType: define(
    'http',
    'content-type',
    'recommended',
    "answers carry the version's media type",
    'DSTU2 answers application/json+fhir, STU3 and later application/fhir+json.',
  ),
};

export function timingChecks(thresholds: { slowCallMs: number; pageLoadMs: number }) {
  return {
    slowCalls: define(
      'timing',
      'slow-calls',
      'recommended',
      `every call answers within ${thresholds.slowCallMs} ms`,
      'Latency is the sum of every hop (EHR, partner, FHIR server); the user waits for each call.',
    ),
    pageLoad: define(
      'timing',
      'page-load',
      'recommended',
      `opening a patient takes under ${thresholds.pageLoadMs} ms`,
      'Opening a patient is a search, a read and the batch in a row; the user waits for all three.',
    ),
  };
}
