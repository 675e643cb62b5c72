import { Readable } from 'node:stream';
import type { Context } from 'koa';
import type { VerifiedToken } from '../auth/tokenVerifier.js';
import type { ExportFile, ExportJob, ExportOwner } from '../fhir/export/exportJob.js';
import type { ExportJobs } from '../fhir/export/exportJobs.js';
import { parseKickoff, type ExportLevel } from '../fhir/export/exportKickoff.js';
import { exportManifest, progressText } from '../fhir/export/exportManifest.js';
import { NDJSON_CHUNK_BYTES, ndjsonChunks } from '../fhir/export/ndjsonChunks.js';
import { forbidden, internalError, notFound, notSupported, operationOutcome } from '../fhir/outcome.js';
import type { FhirVersion } from '../fhir/types.js';
import { fhirContentType } from '../fhir/versions/contentType.js';
import { adapterFor } from '../fhir/versions/index.js';
import type { Tenant } from '../tenants/tenantDirectory.js';
import type { GatewayRoute } from './gatewayRoute.js';
import type { SandboxState } from './httpState.js';
import type { ReadPermission } from './readPermission.js';
import { requestOrigin } from './requestOrigin.js';

export interface BulkExportOptions {
  exports: ExportJobs;
  mayRead: ReadPermission;
  publicBaseUrl: string | undefined;
}

const NDJSON_TYPE = 'application/fhir+ndjson';
const MANIFEST_TYPE = 'application/json';
/** Seconds a client is asked to wait between two polls of a running export. */
const POLL_SECONDS = 1;

/**
 * The HTTP side of Bulk Data export on one gateway base: kick-off, status (GET polls, DELETE
 * cancels) and file downloads. The gateway has already verified the token and resolved its tenant;
 * the export itself (snapshot, job, files) is the FHIR core's.
 */
export function answerBulkExport(ctx: Context, tenant: Tenant, params: ReadonlyArray<readonly [string, string]>, options: BulkExportOptions): void {
  const state = ctx.state as SandboxState;
  const token = state.token as VerifiedToken;
  const owner: ExportOwner = { tenantId: tenant.id, clientId: token.clientId };
  const base = `${requestOrigin(ctx, options.publicBaseUrl)}/fhir/${tenant.fhirVersion}`;
  // As the gateway classified it: below the base, a trailing slash ignored.
  const segments = ctx.path.slice(`/fhir/${tenant.fhirVersion}/`.length).replace(/\/+$/, '').split('/');
  switch ((state.route as GatewayRoute).interaction) {
    case 'export-kickoff':
      return kickoff(ctx, tenant, levelOf(segments), params, token, options, base);
    case 'export-status':
      return ctx.method === 'DELETE' ? cancel(ctx, tenant, segments[1] as string, owner, options) : status(ctx, options.exports.get(segments[1] as string, owner), options, base);
    default:
      return download(ctx, options.exports.get(segments[1] as string, owner), segments[2] as string, token, options);
  }
}

/** `$export`, `Patient/$export` or `Group/<id>/$export`; the operation is defined on no other type. */
function levelOf(segments: readonly string[]): ExportLevel {
  const [type, second] = segments;
  if (type === '$export') return { kind: 'system' };
  if (type === 'Patient' && second === '$export') return { kind: 'patient' };
  if (type === 'Group' && segments.length === 3) return { kind: 'group', groupId: second as string };
  throw notSupported(`$export is defined on the base URL, Patient and Group/<id>, not on ${segments.slice(0, -1).join('/')}`);
}

function kickoff(ctx: Context, tenant: Tenant, level: ExportLevel, params: ReadonlyArray<readonly [string, string]>, token: VerifiedToken, options: BulkExportOptions, base: string): void {
  const origin = requestOrigin(ctx, options.publicBaseUrl);
  const request = parseKickoff({ level, params, prefer: ctx.get('Prefer') || undefined, requestUrl: `${origin}${ctx.url}` }, tenant.store.adapter, (type) => options.mayRead(token, type));
  const job = options.exports.start(request, { adapter: tenant.store.adapter, store: tenant.store }, { tenantId: tenant.id, clientId: token.clientId });
  ctx.set('Content-Location', `${base}/$export-status/${job.id}`);
  writeOutcome(ctx, 202, tenant.fhirVersion, `export ${job.id} started: poll its status at the Content-Location URL`);
}

/** 202 with X-Progress while the job runs; 200 with the manifest once its files are ready. */
function status(ctx: Context, job: ExportJob, options: BulkExportOptions, base: string): void {
  if (job.state === 'failed') throw internalError(`export ${job.id} failed: ${job.failure ?? 'unknown error'}`);
  if (job.state === 'in-progress') {
    ctx.set('X-Progress', progressText(job));
    ctx.set('Retry-After', String(POLL_SECONDS));
    // No body: Bulk Data defines none here (an explicit null keeps Koa from writing "Accepted").
    ctx.body = null;
    ctx.status = 202;
    return;
  }
  const expiresAt = options.exports.expiresAt(job);
  if (expiresAt !== undefined) ctx.set('Expires', new Date(expiresAt).toUTCString());
  ctx.status = 200;
  ctx.set('Content-Type', MANIFEST_TYPE);
  ctx.body = JSON.stringify(exportManifest(job, (file) => fileUrl(base, job, file)));
}

function cancel(ctx: Context, tenant: Tenant, jobId: string, owner: ExportOwner, options: BulkExportOptions): void {
  options.exports.delete(jobId, owner);
  writeOutcome(ctx, 202, tenant.fhirVersion, `export ${jobId} deleted: it no longer runs and its files are gone`);
}

/** Streams the file from the stored bytes, with its exact length; only types the token may read. */
function download(ctx: Context, job: ExportJob, name: string, token: VerifiedToken, options: BulkExportOptions): void {
  const file = job.state === 'complete' ? job.file(name) : undefined;
  if (file === undefined) throw notFound(`export ${job.id} has no file ${name}${job.state === 'complete' ? '' : ' (it is still running)'}`);
  if (file.type !== 'OperationOutcome' && !options.mayRead(token, file.type)) throw forbidden(`this access token may not read ${file.type}`);
  ctx.status = 200;
  // Content-Type before the body: Koa would otherwise call a stream application/octet-stream.
  ctx.set('Content-Type', NDJSON_TYPE);
  ctx.body = Readable.from(ndjsonChunks(file.lines), { objectMode: false, highWaterMark: NDJSON_CHUNK_BYTES });
  ctx.length = file.byteLength;
}

function fileUrl(base: string, job: ExportJob, file: ExportFile): string {
  return `${base}/$export-file/${job.id}/${file.name}`;
}

function writeOutcome(ctx: Context, status: number, version: FhirVersion, text: string): void {
  ctx.status = status;
  ctx.set('Content-Type', fhirContentType(version));
  ctx.body = JSON.stringify(operationOutcome([{ severity: 'information', code: 'informational', diagnostics: text }], adapterFor(version)));
}
