import type { Clock } from '../lib/clock.js';
import { CheckUsageError } from './checkErrors.js';
import type { CheckResult } from './checkReport.js';
import { assertionSigner, type AssertionSigner, type ClientSigningKey } from './clientSigningKey.js';
import { CHECK_VERSIONS, type CheckVersion } from './versionCallSets.js';

export interface CheckOptions {
  /** The partner's FHIR base URL, e.g. https://partner.example/fhir/stu3. */
  baseUrl: string;
  clientId: string;
  /** Its secret (client_secret_basic, then client_secret_post); give this or `clientKey`. */
  clientSecret?: string;
  /** Its private key and kid (private_key_jwt, SMART Backend Services); give this or `clientSecret`. */
  clientKey?: ClientSigningKey;
  /** The tenant ID that goes in the token request's scope. */
  tenant: string;
  /** More scopes to ask for after the tenant, e.g. SMART system scopes "system/*.read". */
  scope?: string;
  /** Otherwise read from metadata (oauth-uris). */
  tokenUrl?: string;
  /** Otherwise read from metadata's fhirVersion. */
  version?: CheckVersion;
  /** The patient the clinical calls use; otherwise the first the patient search returns. */
  patientId?: string;
  /** Patient search form fields, e.g. "family=black&given=ruth", to choose the patient by search. */
  search?: string;
  /** Longest wait for one answer (default 10 000 ms). */
  timeoutMs?: number;
  /** Accept self-signed TLS certificates. */
  insecure?: boolean;
  /** Recommended checks fail the run too. */
  strict?: boolean;
  /** Timing thresholds of the timing checks (defaults 2 000 and 5 000 ms). */
  slowCallMs?: number;
  pageLoadMs?: number;
  /** Most result pages the paging check follows (default 50). */
  maxPages?: number;
  /** Start time and call durations; the system's clock by default. */
  clock?: Clock;
  /** Told about every check as soon as it has a result (progress output). */
  onResult?: (result: CheckResult) => void;
}

/** How the client proves who it is at the token endpoint. */
export type ClientAuthentication = { method: 'client_secret'; clientSecret: string } | { method: 'private_key_jwt'; signer: AssertionSigner };

export interface ResolvedCheckOptions {
  baseUrl: string;
  clientId: string;
  auth: ClientAuthentication;
  tenant: string;
  /** The token requests' scope: the tenant, then any further scopes asked for. */
  scope: string;
  tokenUrl: string | undefined;
  version: CheckVersion | undefined;
  patientId: string | undefined;
  search: URLSearchParams | undefined;
  timeoutMs: number;
  insecure: boolean;
  strict: boolean;
  slowCallMs: number;
  pageLoadMs: number;
  maxPages: number;
  clock: Clock;
  onResult: (result: CheckResult) => void;
}

/** Sub-millisecond timings: a Clock whose now() is the high-resolution timer. */
const preciseClock: Clock = { now: () => performance.timeOrigin + performance.now() };

export function resolveCheckOptions(options: CheckOptions): ResolvedCheckOptions {
  const baseUrl = httpUrl('base URL', options.baseUrl).replace(/\/+$/, '');
  const tokenUrl = options.tokenUrl === undefined ? undefined : httpUrl('--token-url', options.tokenUrl);
  for (const [option, value] of [['--client-id', options.clientId], ['--tenant', options.tenant]] as const) {
    if (typeof value !== 'string' || value.trim() === '') throw new CheckUsageError(option, 'is required');
  }
  if (options.version !== undefined && !CHECK_VERSIONS.includes(options.version)) {
    throw new CheckUsageError('--version', `must be one of ${CHECK_VERSIONS.join(', ')}`);
  }
  if (options.patientId !== undefined && options.search !== undefined) {
    throw new CheckUsageError('--patient', 'choose the patient either by id (--patient) or by search (--search), not both');
  }
  return {
    baseUrl,
    clientId: options.clientId,
    auth: clientAuthentication(options),
    tenant: options.tenant,
    scope: scopeWith(options.tenant, options.scope),
    tokenUrl,
    version: options.version,
    patientId: options.patientId,
    search: options.search === undefined ? undefined : searchForm(options.search),
    timeoutMs: positive('--timeout', options.timeoutMs ?? 10_000),
    insecure: options.insecure ?? false,
    strict: options.strict ?? false,
    slowCallMs: positive('slowCallMs', options.slowCallMs ?? 2_000),
    pageLoadMs: positive('pageLoadMs', options.pageLoadMs ?? 5_000),
    maxPages: positive('maxPages', options.maxPages ?? 50),
    clock: options.clock ?? preciseClock,
    onResult: options.onResult ?? (() => undefined),
  };
}

function clientAuthentication({ clientSecret, clientKey }: CheckOptions): ClientAuthentication {
  if (clientSecret !== undefined && clientKey !== undefined) {
    throw new CheckUsageError('--private-key', 'authenticate one way: with --client-secret or with --private-key, not both');
  }
  if (clientKey !== undefined) return { method: 'private_key_jwt', signer: assertionSigner(clientKey) };
  if (clientSecret === undefined || clientSecret.trim() === '') throw new CheckUsageError('--client-secret', 'is required (or --private-key with --kid)');
  return { method: 'client_secret', clientSecret };
}

function scopeWith(tenant: string, more: string | undefined): string {
  if (more === undefined) return tenant;
  const scopes = more.trim().split(/\s+/);
  if (scopes[0] === '') throw new CheckUsageError('--scope', 'must name at least one scope, e.g. "system/*.read"');
  return [tenant, ...scopes].join(' ');
}

function httpUrl(option: string, value: string): string {
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    throw new CheckUsageError(option, `${JSON.stringify(value)} is not a URL (expected e.g. http://127.0.0.1:8080/fhir/stu3)`);
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') throw new CheckUsageError(option, `${value} is not an http(s) URL`);
  if (url.search !== '' || url.hash !== '') throw new CheckUsageError(option, `${value} must not carry a query or fragment`);
  return url.href;
}

function searchForm(value: string): URLSearchParams {
  const form = new URLSearchParams(value.replace(/^\?/, ''));
  if ([...form.keys()].length === 0 || [...form.entries()].some(([name, field]) => name === '' || field === '')) {
    throw new CheckUsageError('--search', `${JSON.stringify(value)} is not a search such as "family=black&given=ruth"`);
  }
  return form;
}

function positive(option: string, value: number): number {
  if (!Number.isFinite(value) || value <= 0) throw new CheckUsageError(option, `must be a positive number, got ${value}`);
  return value;
}
