import type supertest from 'supertest';
import type { Response } from 'supertest';
import { expect } from 'vitest';

/** The Bulk Data client calls, written from the specification: kick-off, poll, download. */

export interface Manifest {
  transactionTime: string;
  request: string;
  requiresAccessToken: boolean;
  output: Array<{ type: string; url: string; count: number }>;
  error: Array<{ type: string; url: string; count: number }>;
}

type Http = ReturnType<typeof supertest>;

/** The path (and query) of an absolute URL the sandbox handed out, for supertest. */
export function pathOf(url: string): string {
  const parsed = new URL(url);
  return `${parsed.pathname}${parsed.search}`;
}

/** Reads any body as text, whatever its media type (superagent leaves unknown ones unread). */
function asText(response: Response, callback: (error: Error | null, body: string) => void): void {
  let text = '';
  response.setEncoding('utf8');
  response.on('data', (chunk: string) => {
    text += chunk;
  });
  response.on('end', () => callback(null, text));
}

export function kickoff(http: Http, bearer: string, path: string, prefer = 'respond-async'): supertest.Test {
  const request = http.get(path).set('Authorization', bearer).set('Accept', 'application/fhir+json');
  return prefer === '' ? request : request.set('Prefer', prefer);
}

/** Kicks off and checks the 202; the status URL's path. */
export async function startExport(http: Http, bearer: string, path: string, prefer?: string): Promise<string> {
  const response = await kickoff(http, bearer, path, prefer);
  expect(response.status, response.text).toBe(202);
  const location = response.headers['content-location'] as string;
  expect(location).toMatch(/\/\$export-status\/[^/]+$/);
  return pathOf(location);
}

/** Polls the status URL (as a client would, without waiting: the job yields between slices) until it is no longer 202. */
export async function pollUntilDone(http: Http, bearer: string, statusPath: string): Promise<Response> {
  for (let attempt = 0; attempt < 10_000; attempt++) {
    const response = await http.get(statusPath).set('Authorization', bearer);
    if (response.status !== 202) return response;
    await new Promise((resolve) => setImmediate(resolve));
  }
  throw new Error(`${statusPath} never finished`);
}

export async function exportManifest(http: Http, bearer: string, path: string, prefer?: string): Promise<Manifest> {
  const status = await pollUntilDone(http, bearer, await startExport(http, bearer, path, prefer));
  expect(status.status, status.text).toBe(200);
  expect(status.headers['content-type']).toMatch(/^application\/json/);
  return JSON.parse(status.text) as Manifest;
}

export function download(http: Http, bearer: string, url: string): supertest.Test {
  return http.get(pathOf(url)).set('Authorization', bearer).buffer(true).parse(asText);
}

/** Downloads a file and parses every line. */
export async function downloadLines(http: Http, bearer: string, url: string): Promise<Array<Record<string, unknown>>> {
  const response = await download(http, bearer, url);
  expect(response.status, String(response.body)).toBe(200);
  expect(response.headers['content-type']).toBe('application/fhir+ndjson');
  const text = response.body as string;
  expect(Number(response.headers['content-length'])).toBe(Buffer.byteLength(text));
  expect(text.endsWith('\n')).toBe(true);
  return text
    .slice(0, -1)
    .split('\n')
    .map((line) => JSON.parse(line) as Record<string, unknown>);
}

/** Every resource of the export, by type, downloaded and parsed. */
export async function downloadAll(http: Http, bearer: string, manifest: Manifest): Promise<Map<string, Array<Record<string, unknown>>>> {
  const byType = new Map<string, Array<Record<string, unknown>>>();
  for (const entry of manifest.output) {
    const lines = await downloadLines(http, bearer, entry.url);
    expect(lines.length).toBe(entry.count);
    byType.set(entry.type, [...(byType.get(entry.type) ?? []), ...lines]);
  }
  return byType;
}
