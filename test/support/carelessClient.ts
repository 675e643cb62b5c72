import { pageLoadBatch } from '../../src/simulator/pageLoadBatch.js';
import type { SimulatorSleep } from '../../src/simulator/simulatorContext.js';

/**
 * A deliberately careless client for the report card's tests, the mirror image of the simulator:
 * a new token before every call, retries at once whatever Retry-After says (up to ten times), and
 * pages by building its own offsets from Bundle.total instead of following next links. It batches
 * its page load and sends FHIR Accept headers, so it should fail exactly those other criteria.
 */
export interface CarelessClientOptions {
  origin: string;
  client: { id: string; secret: string };
  tenantId: string;
  fhirVersion: 'dstu2' | 'stu3';
  sleep: SimulatorSleep;
  signal: AbortSignal;
}

const PAGE_SIZE = 10;
const TIGHT_LOOP_TRIES = 10;
// Slow enough to keep the test short: every one of its calls costs a token request (and a secret check).
const PACE_MS = 4000;
const FHIR_JSON = 'application/fhir+json';

export async function runCarelessClient(options: CarelessClientOptions): Promise<void> {
  while (!options.signal.aborted) {
    try {
      await loadPatientPage(options);
      await options.sleep(PACE_MS, options.signal);
    } catch (error) {
      if (options.signal.aborted) return;
      if (!(error instanceof CallFailed)) throw error;
    }
  }
}

class CallFailed extends Error {}

async function loadPatientPage(options: CarelessClientOptions): Promise<void> {
  const form = new URLSearchParams({ _count: String(PAGE_SIZE) });
  const first = (await fhirCall(options, 'POST', 'Patient/_search', form)) as { total?: number; entry?: Array<{ resource?: { id?: string } }> };
  // Its own offsets, from the total, instead of the next links the server gave.
  for (let offset = PAGE_SIZE; offset < (first.total ?? 0); offset += PAGE_SIZE) {
    await fhirCall(options, 'GET', `Patient?_offset=${offset}&_count=${PAGE_SIZE}`);
  }
  const patientId = first.entry?.[0]?.resource?.id;
  if (patientId === undefined) return;
  await fhirCall(options, 'GET', `Patient/${patientId}`);
  await fhirCall(options, 'POST', '', JSON.stringify(pageLoadBatch(options.fhirVersion, patientId)));
}

/** One FHIR call with a token fetched just for it, retried at once on anything that is not a success. */
async function fhirCall(options: CarelessClientOptions, method: 'GET' | 'POST', path: string, body?: URLSearchParams | string): Promise<unknown> {
  const url = `${options.origin}/fhir/${options.fhirVersion}${path === '' ? '' : `/${path}`}`;
  return tightLoop(options, async () => {
    const token = await fetchToken(options);
    const headers: Record<string, string> = { Authorization: `Bearer ${token}`, Accept: FHIR_JSON };
    if (typeof body === 'string') headers['Content-Type'] = FHIR_JSON;
    return fetch(url, { method, headers, ...(body === undefined ? {} : { body }), signal: options.signal });
  });
}

async function fetchToken(options: CarelessClientOptions): Promise<string> {
  const body = (await tightLoop(options, () =>
    fetch(`${options.origin}/oauth2/token`, {
      method: 'POST',
      body: new URLSearchParams({ grant_type: 'client_credentials', client_id: options.client.id, client_secret: options.client.secret, scope: options.tenantId }),
      signal: options.signal,
    }),
  )) as { access_token?: string };
  if (body.access_token === undefined) throw new CallFailed('no token');
  return body.access_token;
}

async function tightLoop(options: CarelessClientOptions, send: () => Promise<Response>): Promise<unknown> {
  for (let attempt = 0; attempt < TIGHT_LOOP_TRIES; attempt++) {
    let response: Response;
    try {
      response = await send();
    } catch (error) {
      if (options.signal.aborted) throw error;
      continue;
    }
    const text = await response.text();
    if (response.status >= 200 && response.status < 300) return JSON.parse(text) as unknown;
    if (response.status === 404 || response.status === 400) throw new CallFailed(`HTTP ${response.status}`);
  }
  throw new CallFailed('gave up');
}
