import type { ExportFile, ExportJob } from './exportJob.js';

/** The complete-status body of Bulk Data Access 2.0. */
export interface ExportManifest {
  transactionTime: string;
  request: string;
  requiresAccessToken: true;
  output: ManifestEntry[];
  error: ManifestEntry[];
}

export interface ManifestEntry {
  type: string;
  url: string;
  count: number;
}

/** The manifest of a finished export; `fileUrl` turns a file into its absolute download URL. */
export function exportManifest(job: ExportJob, fileUrl: (file: ExportFile) => string): ExportManifest {
  const entry = (file: ExportFile): ManifestEntry => ({ type: file.type, url: fileUrl(file), count: file.lines.length });
  return {
    transactionTime: new Date(job.transactionTime).toISOString(),
    request: job.kickoff.requestUrl,
    // Files are served only to a bearer token of the client and tenant that started the export.
    requiresAccessToken: true,
    output: job.output.map(entry),
    error: job.errors.map(entry),
  };
}

/** X-Progress while an export runs, e.g. "42% (Observation)". */
export function progressText(job: ExportJob): string {
  const { done, total, type } = job.progress;
  const percent = total === 0 ? 0 : Math.floor((done / total) * 100);
  return type === undefined ? `${percent}%` : `${percent}% (${type})`;
}
