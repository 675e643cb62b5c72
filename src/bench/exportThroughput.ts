import { Agent, request, type IncomingHttpHeaders } from 'node:http';
import { residentBytes } from './residentBytes.js';

/** One system-level Bulk Data export of the bench tenant, driven as a client would, over loopback. */
export interface ExportMeasurement {
  resources: number;
  bytes: number;
  files: number;
  /** Kick-off request to its 202: the snapshot is taken synchronously inside it. */
  kickoffMs: number;
  /** Kick-off to the manifest (the job walking its snapshot in slices). */
  jobMs: number;
  /** The slowest status poll while the job ran: how long the job kept the event loop from other requests. */
  slowestPollMs: number;
  /** Kick-off to the last byte of the last file. */
  totalMs: number;
  /** The sandbox process's resident memory before the export, and the most seen while it ran. */
  rssBeforeBytes: number | undefined;
  rssPeakBytes: number | undefined;
}

interface Manifest {
  output: Array<{ url: string; count: number }>;
}

/**
 * Kicks off `[base]/$export`, polls its status without waiting (to time the job, not Retry-After),
 * then downloads every file in turn, counting bytes without keeping them. The server's RSS is read
 * from /proc every 50 ms throughout.
 */
export async function measureExport(base: string, token: string, serverPid: number): Promise<ExportMeasurement> {
  const auth = { Authorization: `Bearer ${token}` };
  // A small export first, so neither side measures its first-call compilation.
  await runExport(`${base}/$export?_type=Organization,Location`, auth);
  const rssBeforeBytes = residentBytes(serverPid);
  let rssPeakBytes = rssBeforeBytes;
  const sampler = setInterval(() => {
    const rss = residentBytes(serverPid);
    if (rss !== undefined && (rssPeakBytes === undefined || rss > rssPeakBytes)) rssPeakBytes = rss;
  }, 50);
  try {
    const run = await runExport(`${base}/$export`, auth);
    return { ...run, rssBeforeBytes, rssPeakBytes };
  } finally {
    clearInterval(sampler);
  }
}

type ExportRun = Omit<ExportMeasurement, 'rssBeforeBytes' | 'rssPeakBytes'>;

/** Kick-off, polls without waiting, every file downloaded in turn, then DELETE; node:http throughout (fetch would cost the client more than the server). */
async function runExport(kickoffUrl: string, auth: Record<string, string>): Promise<ExportRun> {
  const agent = new Agent({ keepAlive: true, maxSockets: 1 });
  try {
    const started = performance.now();
    const kickoff = await call(agent, 'GET', kickoffUrl, { ...auth, Prefer: 'respond-async', Accept: 'application/fhir+json' });
    const kickoffMs = performance.now() - started;
    const statusUrl = kickoff.headers['content-location'];
    if (kickoff.status !== 202 || typeof statusUrl !== 'string') throw new Error(`export kick-off answered ${kickoff.status}`);
    let slowestPollMs = 0;
    let manifest: Manifest | undefined;
    while (manifest === undefined) {
      const polled = performance.now();
      const status = await call(agent, 'GET', statusUrl, auth);
      slowestPollMs = Math.max(slowestPollMs, performance.now() - polled);
      if (status.status === 200) manifest = JSON.parse(status.body.toString()) as Manifest;
      else if (status.status !== 202) throw new Error(`export status answered ${status.status}`);
    }
    const jobMs = performance.now() - started;
    let bytes = 0;
    for (const file of manifest.output) {
      const download = await call(agent, 'GET', file.url, auth, false);
      if (download.status !== 200) throw new Error(`export file answered ${download.status}`);
      bytes += download.bytes;
    }
    const totalMs = performance.now() - started;
    await call(agent, 'DELETE', statusUrl, auth);
    const resources = manifest.output.reduce((sum, file) => sum + file.count, 0);
    return { resources, bytes, files: manifest.output.length, kickoffMs, jobMs, slowestPollMs, totalMs };
  } finally {
    agent.destroy();
  }
}

interface Answer {
  status: number | undefined;
  headers: IncomingHttpHeaders;
  bytes: number;
  /** The body, when it was kept. */
  body: Buffer;
}

/** One request; a downloaded file's bytes are counted, not kept. */
function call(agent: Agent, method: string, url: string, headers: Record<string, string>, keepBody = true): Promise<Answer> {
  return new Promise((resolve, reject) => {
    request(url, { method, headers, agent }, (response) => {
      const chunks: Buffer[] = [];
      let bytes = 0;
      response.on('data', (chunk: Buffer) => {
        bytes += chunk.length;
        if (keepBody) chunks.push(chunk);
      });
      response.on('end', () => resolve({ status: response.statusCode, headers: response.headers, bytes, body: Buffer.concat(chunks) }));
      response.on('error', reject);
    })
      .on('error', reject)
      .end();
  });
}
