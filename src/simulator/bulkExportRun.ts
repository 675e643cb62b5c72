import type { FhirSession } from './fhirSession.js';
import type { BodyReader } from './retryingRequest.js';
import { pause, type SimulatorContext } from './simulatorContext.js';
import { GaveUpError } from './simulatorErrors.js';

/** The wait between polls when a 202 names none (Bulk Data leaves it to the client). */
const DEFAULT_POLL_MS = 1000;
/** A job still running after this many polls is given up (and deleted) rather than polled for ever. */
const MAX_POLLS = 600;

interface ManifestOutput {
  type: string;
  url: string;
  count: number;
}

/** Reads NDJSON as a backend client stores it: each line must parse; only the count is kept. */
const countNdjsonLines: BodyReader = (text) => {
  let lines = 0;
  for (const line of text.split('\n')) {
    if (line === '') continue;
    try {
      JSON.parse(line);
    } catch {
      return undefined;
    }
    lines++;
  }
  return lines;
};
const NDJSON = { reader: countNdjsonLines, expected: 'NDJSON' };

/**
 * One Bulk Data export as a careful backend-services client runs it: kick-off with
 * `Prefer: respond-async`, polls that wait as long as each 202's Retry-After says, every file of
 * the manifest downloaded and checked against its count, then DELETE so the server frees the files.
 * Throws GaveUpError when a step cannot be made to work; the job is deleted then too, if it started.
 */
export async function runBulkExport(context: SimulatorContext, session: FhirSession, tenantId: string, kickoffPath: string): Promise<void> {
  const started = context.clock.now();
  const kickoff = await session.exchange({ method: 'GET', path: kickoffPath, headers: { Prefer: 'respond-async' } });
  const statusPath = session.pathOf(kickoff.headers.get('Content-Location') ?? undefined);
  if (kickoff.status !== 202 || statusPath === undefined) {
    throw new GaveUpError(`GET ${kickoffPath}`, `HTTP ${kickoff.status} without a status URL on this base (Content-Location)`);
  }
  context.report('export-started', `kicked off ${kickoffPath}; polling its status`, tenantId);
  let summary: string;
  try {
    const outputs = await pollForManifest(context, session, statusPath);
    const counts = new Map<string, number>();
    for (const output of outputs) {
      const path = session.pathOf(output.url);
      if (path === undefined) throw new GaveUpError('GET $export-file', `the manifest names a file off this base: ${output.url}`);
      const lines = (await session.call({ method: 'GET', path, headers: { Accept: 'application/fhir+ndjson' }, read: NDJSON })) as number | undefined;
      if ((lines ?? 0) !== output.count) throw new GaveUpError('GET $export-file', `${path} held ${lines ?? 0} resources; the manifest says ${output.count}`);
      counts.set(output.type, (counts.get(output.type) ?? 0) + output.count);
    }
    const total = [...counts.values()].reduce((sum, count) => sum + count, 0);
    const byType = [...counts].map(([type, count]) => `${type} ${count}`).join(', ');
    summary = `exported ${total} resources in ${outputs.length} files in ${context.clock.now() - started}ms (${byType})`;
  } finally {
    // Done or given up, the files are not needed any more; a failing DELETE only leaves them to expire.
    await session.exchange({ method: 'DELETE', path: statusPath }).catch((error: unknown) => {
      if (!(error instanceof GaveUpError)) throw error;
    });
  }
  context.report('export-done', `${summary}; files deleted`, tenantId);
}

/** Polls the status URL until the manifest comes, waiting between polls exactly as long as the server asks. */
async function pollForManifest(context: SimulatorContext, session: FhirSession, statusPath: string): Promise<ManifestOutput[]> {
  for (let polls = 1; polls <= MAX_POLLS; polls++) {
    const status = await session.exchange({ method: 'GET', path: statusPath });
    if (status.status === 200) return outputsOf(status.body);
    if (status.status !== 202) throw new GaveUpError('GET $export-status', `HTTP ${status.status}`);
    await pause(context, pollWaitMs(status.headers.get('Retry-After')));
  }
  throw new GaveUpError('GET $export-status', `still running after ${MAX_POLLS} polls`);
}

/** Retry-After in seconds (what the sandbox sends), never shortened; the default when absent or unreadable. */
function pollWaitMs(header: string | null): number {
  const seconds = header === null ? Number.NaN : Number(header);
  return Number.isFinite(seconds) && seconds >= 0 ? seconds * 1000 : DEFAULT_POLL_MS;
}

function outputsOf(manifest: unknown): ManifestOutput[] {
  const output = (manifest as { output?: unknown } | undefined)?.output;
  if (!Array.isArray(output)) throw new GaveUpError('GET $export-status', 'the manifest has no output list');
  return output.filter(
    (entry): entry is ManifestOutput =>
      typeof entry === 'object' && entry !== null && typeof entry.type === 'string' && typeof entry.url === 'string' && typeof entry.count === 'number',
  );
}
