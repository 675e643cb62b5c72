import { STATUS_CODES } from 'node:http';
import { jsonStringContent } from '../../lib/jsonString.js';
import { FhirError } from '../errors.js';
import type { FhirProvider } from '../fhirProvider.js';
import { badRequest, internalError, notSupported } from '../outcome.js';
import { isoInstant } from '../text/isoInstant.js';
import { JsonBytesBuilder } from '../text/jsonBytesBuilder.js';
import { queryPairs } from '../text/queryPairs.js';
import { urnUuid } from '../text/urnUuid.js';
import type { FhirMethod, FhirRequest, FhirResponse } from '../types.js';
import type { VersionAdapter } from '../versions/versionAdapter.js';
import { errorResponse } from './responses.js';

const ENTRY_METHODS: readonly string[] = ['GET', 'POST', 'PUT', 'DELETE'];

/**
 * POST of a Bundle to the base. A `batch` runs every entry on its own (one failing entry does not
 * touch the others) and answers a `batch-response` in entry order. `transaction` is refused: the
 * sandbox does not promise all-or-nothing.
 */
export function runBatch(request: FhirRequest, provider: FhirProvider, run: (entry: FhirRequest) => FhirResponse): FhirResponse {
  const { adapter } = provider;
  const bundle = request.body;
  if (bundle === null || typeof bundle !== 'object' || (bundle as { resourceType?: unknown }).resourceType !== 'Bundle') {
    throw badRequest('POST to the base URL takes a Bundle of type batch', 'Bundle');
  }
  const { type, entry } = bundle as { type?: unknown; entry?: unknown };
  if (type === 'transaction') throw notSupported('Transactions are not supported by this server; send the Bundle as type "batch"', 'Bundle.type');
  if (type !== 'batch') throw badRequest(`Bundle.type must be "batch"; got ${JSON.stringify(type ?? null)}`, 'Bundle.type');
  if (entry !== undefined && !Array.isArray(entry)) throw badRequest('Bundle.entry must be an array', 'Bundle.entry');
  const entries = (entry ?? []) as unknown[];
  const stamp = isoInstant(provider.clock.now());
  // Every entry runs first, in order, so the answer's buffer is sized once from what they returned.
  const responses = entries.map((item, index) => runEntry(request, adapter, run, item, index));
  const body = new JsonBytesBuilder(capacityFor(responses)).text('{"resourceType":"Bundle","type":"batch-response"');
  // FHIR JSON has no empty arrays: an empty batch answers without `entry`.
  responses.forEach((response, index) => {
    body.text(index === 0 ? ',"entry":[' : ',');
    addEntryResponse(body, response, () => urnUuid(`${stamp} ${request.baseUrl} batch entry ${index} ${requestJson(entries[index])}`));
  });
  return { status: 200, json: body.text(entries.length === 0 ? '}' : ']}').toBuffer() };
}

/** Room for the entries' serialised bodies plus each entry's own text (fullUrl, response); the builder grows past it if an outcome is long. */
function capacityFor(responses: readonly FhirResponse[]): number {
  let bytes = 256;
  for (const response of responses) bytes += (response.json?.length ?? response.pendingJson?.byteLength ?? 0) + 1024;
  return bytes;
}

function runEntry(
  request: FhirRequest,
  adapter: VersionAdapter,
  run: (entry: FhirRequest) => FhirResponse,
  item: unknown,
  index: number,
): FhirResponse {
  try {
    return run(entryRequest(request, item, index));
  } catch (error) {
    if (error instanceof FhirError) return errorResponse(error, adapter);
    return errorResponse(internalError(`Bundle.entry[${index}] failed: ${error instanceof Error ? error.message : String(error)}`), adapter);
  }
}

/** An entry as a request of its own: the method and URL (relative, or absolute under this base) of entry.request. */
function entryRequest(outer: FhirRequest, item: unknown, index: number): FhirRequest {
  const where = `Bundle.entry[${index}].request`;
  const entry = (item ?? {}) as { request?: { method?: unknown; url?: unknown; ifMatch?: unknown; ifNoneMatch?: unknown }; resource?: unknown };
  const method = entry.request?.method;
  const url = entry.request?.url;
  if (typeof method !== 'string' || !ENTRY_METHODS.includes(method)) throw badRequest(`${where}.method must be GET, POST, PUT or DELETE`, `${where}.method`);
  if (typeof url !== 'string' || url === '') throw badRequest(`${where}.url is required`, `${where}.url`);
  const underBase = url.startsWith(outer.baseUrl) && url.charCodeAt(outer.baseUrl.length) === 47;
  const relative = underBase ? url.slice(outer.baseUrl.length + 1) : url;
  if (/^[a-z][a-z0-9+.-]*:\/\//i.test(relative)) throw badRequest(`${where}.url ${url} is not under this server's base ${outer.baseUrl}`, `${where}.url`);
  const question = relative.indexOf('?');
  const wholePath = question < 0 ? relative : relative.slice(0, question);
  const path = wholePath.charCodeAt(0) === 47 ? wholePath.replace(/^\/+/, '') : wholePath;
  if (path === '') throw badRequest('A batch entry cannot itself be a batch', `${where}.url`);
  const params: Array<[string, string]> = question < 0 ? [] : queryPairs(relative.slice(question + 1));
  if (method === 'POST' && path.endsWith('/_search')) params.push(...parametersOf(entry.resource));
  const headers: FhirRequest['headers'] = {};
  if (typeof entry.request?.ifMatch === 'string') headers.ifMatch = entry.request.ifMatch;
  if (typeof entry.request?.ifNoneMatch === 'string') headers.ifNoneMatch = entry.request.ifNoneMatch;
  if (outer.headers.prefer !== undefined) headers.prefer = outer.headers.prefer;
  return { method: method as FhirMethod, path, params, body: entry.resource, headers, baseUrl: outer.baseUrl };
}

/** Search parameters sent as a Parameters resource in a POST _search entry (primitive values only). */
function parametersOf(resource: unknown): Array<[string, string]> {
  const parameters = (resource as { resourceType?: unknown; parameter?: unknown } | undefined)?.parameter;
  if ((resource as { resourceType?: unknown } | undefined)?.resourceType !== 'Parameters' || !Array.isArray(parameters)) return [];
  const pairs: Array<[string, string]> = [];
  for (const parameter of parameters as Array<Record<string, unknown>>) {
    const name = parameter['name'];
    const valueKey = Object.keys(parameter).find((key) => key.startsWith('value'));
    const value = valueKey === undefined ? undefined : parameter[valueKey];
    if (typeof name === 'string' && (typeof value === 'string' || typeof value === 'number' || typeof value === 'boolean')) pairs.push([name, String(value)]);
  }
  return pairs;
}

function requestOf(item: unknown): unknown {
  return item !== null && typeof item === 'object' ? (item as { request?: unknown }).request : undefined;
}

/**
 * `JSON.stringify(entry.request ?? null)`, the text an entry's urn:uuid is derived from. The usual
 * request, an object of just `method` and `url` (in that order, both strings), is written directly.
 */
export function requestJson(item: unknown): string {
  const request = requestOf(item);
  if (request !== null && typeof request === 'object' && isMethodAndUrl(request)) {
    const { method, url } = request as { method: string; url: string };
    return `{"method":"${jsonStringContent(method)}","url":"${jsonStringContent(url)}"}`;
  }
  return JSON.stringify(request ?? null);
}

/** Whether the object's keys are `method` then `url` and nothing else, both strings (any other shape goes to JSON.stringify). */
function isMethodAndUrl(request: object): boolean {
  let keys = 0;
  for (const key in request) {
    if (key !== (keys === 0 ? 'method' : keys === 1 ? 'url' : undefined)) return false;
    keys++;
  }
  const { method, url } = request as { method?: unknown; url?: unknown };
  return keys === 2 && typeof method === 'string' && typeof url === 'string';
}

/**
 * One batch-response entry. An entry with a resource has a fullUrl (DSTU2 bdl-6): the resource's
 * own URL when it is a stored one, else a urn:uuid (`anonymousUrl`) for a searchset or an outcome.
 * A searchset not yet written out is written here, straight into the batch's answer.
 */
function addEntryResponse(body: JsonBytesBuilder, response: FhirResponse, anonymousUrl: () => string): void {
  const hasResource = response.json !== undefined || response.pendingJson !== undefined || response.resource !== undefined;
  // A urn:uuid is hex and dashes, nothing to escape; a resource's own URL may need it.
  const fullUrl = !hasResource ? undefined : response.resourceUrl === undefined ? `"${anonymousUrl()}"` : JSON.stringify(response.resourceUrl);
  body.text(fullUrl === undefined ? '{' : `{"fullUrl":${fullUrl},"resource":`);
  if (response.json !== undefined) body.bytes(response.json).text(',');
  else if (response.pendingJson !== undefined) {
    response.pendingJson.writeTo(body);
    body.text(',');
  } else if (response.resource !== undefined) body.text(`${JSON.stringify(response.resource)},`);
  body.text(`"response":${responseSummary(response)}}`);
}

/** Bundle.entry.response as JSON, its members in the order FHIR lists them (status, location, etag, lastModified). */
function responseSummary(response: FhirResponse): string {
  const headers = response.headers;
  if (headers === undefined) return statusOnlySummary(response.status);
  let summary = `{"status":${JSON.stringify(statusText(response.status))}`;
  if (headers['Location'] !== undefined) summary += `,"location":${JSON.stringify(headers['Location'])}`;
  if (headers['ETag'] !== undefined) summary += `,"etag":${JSON.stringify(headers['ETag'])}`;
  if (headers['Last-Modified'] !== undefined) summary += `,"lastModified":${JSON.stringify(new Date(headers['Last-Modified']).toISOString())}`;
  return `${summary}}`;
}

function statusText(status: number): string {
  return `${status} ${STATUS_CODES[status] ?? ''}`.trim();
}

// A search's or an error's summary is its status alone: one text per status code, made once.
const STATUS_ONLY = new Map<number, string>();

function statusOnlySummary(status: number): string {
  let summary = STATUS_ONLY.get(status);
  if (summary === undefined) {
    summary = `{"status":${JSON.stringify(statusText(status))}}`;
    STATUS_ONLY.set(status, summary);
  }
  return summary;
}
