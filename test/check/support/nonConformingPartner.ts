import { isObject, type JsonObject } from '../../../src/check/fhirJson.js';
import type { ProxiedAnswer } from './partnerProxy.js';

/**
 * The problems the non-conforming partner has, each the kind a real partner ships, and the check that
 * must name it. Every other answer passes through unchanged from a correct partner (the sandbox).
 */
export const NON_CONFORMING_PROBLEMS = {
  'metadata without the oauth-uris extension': 'discovery.oauth-uris',
  'STU3 answers labelled application/json': 'http.content-type',
  'patients without birthDate, a field the client needs': 'data.patient-fields',
  'paging whose next link repeats the page it is on': 'calls.paging-next-links',
} as const;

export function nonConforming(answer: ProxiedAnswer): void {
  if (answer.headers['content-type']?.startsWith('application/fhir+json')) answer.headers['content-type'] = 'application/json; charset=utf-8';
  const body = answer.json;
  if (!isObject(body)) return;
  if (body.resourceType === 'CapabilityStatement') dropOauthUris(body);
  forEachResource(body, (resource) => {
    if (resource.resourceType === 'Patient') delete resource.birthDate;
  });
  repeatLaterPages(body);
}

function dropOauthUris(capability: JsonObject): void {
  const rest = Array.isArray(capability.rest) ? capability.rest.filter(isObject) : [];
  for (const entry of rest) if (isObject(entry.security)) delete entry.security.extension;
}

/** From page 2 on, `next` points at the page itself: a client that trusts it reads the same page forever. */
function repeatLaterPages(bundle: JsonObject): void {
  if (bundle.type !== 'searchset' || !Array.isArray(bundle.link)) return;
  const links = bundle.link.filter(isObject);
  const self = links.find((link) => link.relation === 'self');
  const next = links.find((link) => link.relation === 'next');
  if (self === undefined || next === undefined || !links.some((link) => link.relation === 'previous')) return;
  next.url = self.url;
}

/** The resource itself, a Bundle's entries, and a batch-response's nested Bundles. */
function forEachResource(resource: JsonObject, visit: (resource: JsonObject) => void): void {
  visit(resource);
  if (resource.resourceType !== 'Bundle' || !Array.isArray(resource.entry)) return;
  for (const entry of resource.entry) if (isObject(entry) && isObject(entry.resource)) forEachResource(entry.resource, visit);
}
