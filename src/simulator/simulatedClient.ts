import type { EventBus } from '../events/eventBus.js';
import { patientName } from '../fhir/patientName.js';
import type { FhirVersion, Resource } from '../fhir/types.js';
import type { Clock } from '../lib/clock.js';
import type { RandomSource } from '../lib/random.js';
import { runBulkExport } from './bulkExportRun.js';
import type { ClientAuthentication } from './clientAuthentication.js';
import { FhirSession } from './fhirSession.js';
import { pageLoadBatch } from './pageLoadBatch.js';
import { DEFAULT_RETRY_POLICY, type RetryPolicy } from './retryDelay.js';
import { retryingRequest } from './retryingRequest.js';
import { pause, realSleep, requestSignal, type SimulatorContext, type SimulatorSleep } from './simulatorContext.js';
import { GaveUpError } from './simulatorErrors.js';
import { TokenSession } from './tokenSession.js';
import { tokenUrlFromMetadata } from './tokenUrlFromMetadata.js';

export interface SimulatedClientOptions {
  /** The sandbox's own address, e.g. http://127.0.0.1:8080: the client always talks over loopback. */
  origin: string;
  client: ClientAuthentication;
  /** The tenants the client may use, visited in turn. */
  tenants: ReadonlyArray<{ id: string; fhirVersion: FhirVersion }>;
  events: EventBus;
  clock: Clock;
  random: RandomSource;
  /** Pause between page loads, drawn uniformly from this range. */
  paceMs?: { min: number; max: number };
  /** Pause after a page load was given up, so a failing partner is not hammered visit after visit. */
  cooldownMs?: number;
  retry?: RetryPolicy;
  /** How long one request may take before it is abandoned (a hung connection is closed). */
  requestTimeoutMs?: number;
  fetch?: typeof globalThis.fetch;
  /** How the client waits between calls; real timers unless a test moves a ManualClock instead. */
  sleep?: SimulatorSleep;
  /** A Bulk Data export of each tenant after its first page load, then again once `everyMs` has passed. */
  bulkExport?: { kickoffPath: string; everyMs: number };
}

export interface RunningSimulatedClient {
  /** Stops at once: the pending request or wait is aborted. Resolves when the loop has ended. */
  stop(): Promise<void>;
}

const DEFAULT_PACE_MS = { min: 1000, max: 2000 };
const DEFAULT_COOLDOWN_MS = 10_000;
const DEFAULT_REQUEST_TIMEOUT_MS = 10_000;
// Patients per search page, and how many pages the list is scrolled through (following next links).
const SEARCH_PAGE_SIZE = 10;
const MAX_PAGES = 3;

/**
 * Demo traffic: the reference client's page load, over real HTTP against the sandbox itself, one tenant
 * after another at a gentle pace. Metadata → token URL → token → Patient/_search → Patient/<id> → batch,
 * and now and then a Bulk Data export when asked for.
 */
export function startSimulatedClient(options: SimulatedClientOptions): RunningSimulatedClient {
  const abort = new AbortController();
  const context: SimulatorContext = {
    fetch: options.fetch ?? globalThis.fetch,
    clock: options.clock,
    random: options.random,
    retry: options.retry ?? DEFAULT_RETRY_POLICY,
    sleep: options.sleep ?? realSleep,
    requestTimeoutMs: options.requestTimeoutMs ?? DEFAULT_REQUEST_TIMEOUT_MS,
    signal: abort.signal,
    report: (action, message, tenantId) =>
      options.events.emit({ type: 'simulator', at: options.clock.now(), action, message, ...(tenantId !== undefined ? { tenantId } : {}) }),
  };
  const loop = runLoop(context, options).catch((error: unknown) => {
    if (!abort.signal.aborted) context.report('gave-up', `the simulated client stopped: ${String(error)}`);
  });
  return {
    async stop() {
      abort.abort();
      await loop;
      context.report('stopped', 'simulated client stopped');
    },
  };
}

async function runLoop(context: SimulatorContext, options: SimulatedClientOptions): Promise<void> {
  const pace = options.paceMs ?? DEFAULT_PACE_MS;
  const sessions = new Map<string, FhirSession>();
  if (options.tenants.length === 0) {
    context.report('gave-up', `client ${options.client.clientId} may use no tenant: nothing to simulate`);
    return;
  }
  // A tenant whose partner asked for a longer Retry-After than the client waits is left alone until then.
  const resumeAt = new Map<string, number>();
  const nextExportAt = new Map<string, number>();
  for (let visit = 0; !context.signal.aborted; visit++) {
    const tenant = options.tenants[visit % options.tenants.length]!;
    const now = context.clock.now();
    if ((resumeAt.get(tenant.id) ?? 0) > now) {
      const soonest = Math.min(...options.tenants.map((other) => resumeAt.get(other.id) ?? 0));
      if (soonest > now) await pause(context, soonest - now).catch(() => undefined);
      continue;
    }
    let waitMs = pace.min + context.random.next() * (pace.max - pace.min);
    try {
      let session = sessions.get(tenant.id);
      if (session === undefined) {
        session = await openSession(context, options, tenant);
        sessions.set(tenant.id, session);
      }
      await loadPatientPage(context, session, tenant);
      if (options.bulkExport !== undefined && (nextExportAt.get(tenant.id) ?? 0) <= context.clock.now()) {
        // Due again a period after this one, whether it works or not: a failing export is not retried in a loop.
        nextExportAt.set(tenant.id, context.clock.now() + options.bulkExport.everyMs);
        await exportOnce(context, session, tenant.id, options.bulkExport.kickoffPath);
      }
    } catch (error) {
      if (context.signal.aborted) return;
      if (!(error instanceof GaveUpError)) throw error;
      context.report('gave-up', `gave up this page load: ${error.message}`, tenant.id);
      if (error.retryAfterMs !== undefined) resumeAt.set(tenant.id, context.clock.now() + error.retryAfterMs);
      waitMs = options.cooldownMs ?? DEFAULT_COOLDOWN_MS;
    }
    await pause(context, waitMs).catch(() => undefined);
  }
}

/** A failed export is reported as such; the page loads go on. */
async function exportOnce(context: SimulatorContext, session: FhirSession, tenantId: string, kickoffPath: string): Promise<void> {
  try {
    await runBulkExport(context, session, tenantId, kickoffPath);
  } catch (error) {
    if (!(error instanceof GaveUpError) || context.signal.aborted) throw error;
    context.report('gave-up', `gave up this export: ${error.message}`, tenantId);
  }
}

/** Reads the token URL from the version's metadata, as the reference client does on first contact. */
async function openSession(
  context: SimulatorContext,
  options: SimulatedClientOptions,
  tenant: { id: string; fhirVersion: FhirVersion },
): Promise<FhirSession> {
  const baseUrl = `${options.origin}/fhir/${tenant.fhirVersion}`;
  const metadata = await retryingRequest(
    context,
    'GET metadata',
    () => context.fetch(`${baseUrl}/metadata`, { headers: { Accept: 'application/fhir+json, application/json' }, signal: requestSignal(context) }),
    tenant.id,
  );
  const advertised = tokenUrlFromMetadata(metadata.body);
  if (advertised === undefined) throw new GaveUpError('GET metadata', 'no token URL in the oauth-uris extension');
  const tokens = new TokenSession(context, onOrigin(advertised, options.origin), advertised, options.client, tenant.id);
  return new FhirSession(context, baseUrl, tokens, tenant.id);
}

/** A public URL (--public-url) may name a proxy this process cannot reach; its path on our own origin is the same endpoint. */
function onOrigin(url: string, origin: string): string {
  const parsed = new URL(url);
  return `${origin}${parsed.pathname}${parsed.search}`;
}

async function loadPatientPage(context: SimulatorContext, session: FhirSession, tenant: { id: string; fhirVersion: FhirVersion }): Promise<void> {
  const started = context.clock.now();
  let page = await session.call({ method: 'POST', path: 'Patient/_search', body: { form: new URLSearchParams({ _count: String(SEARCH_PAGE_SIZE) }) } });
  const ids = patientIds(page);
  // Scrolls the list as a user would: next links exactly as given, until the last page. A next page that
  // cannot be had (a broken link) ends the scrolling, not the page load, and is not asked for again.
  for (let pages = 1; pages < MAX_PAGES; pages++) {
    const next = session.pathOf(nextLink(page));
    if (next === undefined) break;
    try {
      page = await session.call({ method: 'GET', path: next });
    } catch (error) {
      if (!(error instanceof GaveUpError)) throw error;
      context.report('gave-up', `stopped scrolling the patient list: ${error.message}`, tenant.id);
      break;
    }
    ids.push(...patientIds(page));
  }
  if (ids.length === 0) {
    context.report('page-loaded', 'patient search found nobody (tenant still seeding?)', tenant.id);
    return;
  }
  const patientId = ids[Math.floor(context.random.next() * ids.length)]!;
  const patient = await session.call({ method: 'GET', path: `Patient/${encodeURIComponent(patientId)}` });
  const batch = await session.call({ method: 'POST', path: '', body: { json: pageLoadBatch(tenant.fhirVersion, patientId) } });
  const { ok, total } = batchOutcome(batch);
  context.report('page-loaded', `opened ${describePatient(patient, patientId)} in ${context.clock.now() - started}ms (${ok}/${total} batch entries ok)`, tenant.id);
}

/** "Ruth Black (Patient/ruth-black)": who the page shows, as the app would title it. */
function describePatient(patient: unknown, patientId: string): string {
  const name = typeof patient === 'object' && patient !== null ? patientName(patient as Resource) : undefined;
  return name === undefined ? `Patient/${patientId}` : `${name.given} ${name.family} (Patient/${patientId})`;
}

/** How many entries of a batch-response came back 2xx ("200 OK"): a failed entry does not fail the batch. */
function batchOutcome(bundle: unknown): { ok: number; total: number } {
  const entries = (bundle as { entry?: Array<{ response?: { status?: unknown } }> } | undefined)?.entry ?? [];
  const ok = entries.filter((entry) => typeof entry.response?.status === 'string' && /^2\d\d/.test(entry.response.status)).length;
  return { ok, total: entries.length };
}

function nextLink(bundle: unknown): string | undefined {
  const links = (bundle as { link?: Array<{ relation?: unknown; url?: unknown }> } | undefined)?.link ?? [];
  const next = links.find((link) => link.relation === 'next')?.url;
  return typeof next === 'string' ? next : undefined;
}

function patientIds(bundle: unknown): string[] {
  const entries = (bundle as { entry?: Array<{ resource?: { resourceType?: unknown; id?: unknown } }> } | undefined)?.entry ?? [];
  return entries.flatMap((entry) => (entry.resource?.resourceType === 'Patient' && typeof entry.resource.id === 'string' ? [entry.resource.id] : []));
}
