import { retryingRequest, type BodyReader, type HttpResult } from './retryingRequest.js';
import { requestSignal, type SimulatorContext } from './simulatorContext.js';
import { GaveUpError } from './simulatorErrors.js';
import type { TokenSession } from './tokenSession.js';

export interface FhirCall {
  method: 'GET' | 'POST' | 'DELETE';
  /** Below the base, e.g. "Patient/_search"; "" for the base itself (batch). */
  path: string;
  body?: { form: URLSearchParams } | { json: unknown };
  /** Headers beside Authorization and Accept (a Bulk Data kick-off's Prefer). */
  headers?: Record<string, string>;
  /** How the answer is read when it is not FHIR JSON (an NDJSON file). */
  read?: { reader: BodyReader; expected: string };
}

// A refused token is refreshed and the call sent again this many times before the page load is given up.
const MAX_TOKEN_REFRESHES = 2;

/** FHIR calls to one tenant's base with its token: refreshes on 401 invalid_token, retries on 429/5xx. */
export class FhirSession {
  readonly #context: SimulatorContext;
  readonly #baseUrl: string;
  readonly #tokens: TokenSession;
  readonly #tenantId: string;

  constructor(context: SimulatorContext, baseUrl: string, tokens: TokenSession, tenantId: string) {
    this.#context = context;
    this.#baseUrl = baseUrl;
    this.#tokens = tokens;
    this.#tenantId = tenantId;
  }

  /** The response body of a successful call; throws GaveUpError when the call cannot be made to work. */
  async call(call: FhirCall): Promise<unknown> {
    return (await this.exchange(call)).body;
  }

  /** A successful call's status, headers and body (a 202's Content-Location or Retry-After matter too). */
  async exchange(call: FhirCall): Promise<HttpResult> {
    const label = `${call.method} ${call.path === '' ? '(batch)' : call.path.split('?')[0]}`;
    for (let refreshes = 0; ; refreshes++) {
      const token = await this.#tokens.bearer();
      const result = await retryingRequest(this.#context, label, () => this.#send(call, token), this.#tenantId, call.read);
      if (result.status === 401 && refreshes < MAX_TOKEN_REFRESHES && isInvalidToken(result)) {
        this.#tokens.refused(describeRefusal(result));
        continue;
      }
      if (result.status >= 400) throw new GaveUpError(label, `HTTP ${result.status}${diagnostics(result.body)}`);
      return result;
    }
  }

  #send(call: FhirCall, token: string): Promise<Response> {
    const headers: Record<string, string> = {
      Authorization: `Bearer ${token}`,
      Accept: 'application/fhir+json, application/json+fhir, application/json',
      ...call.headers,
    };
    let body: string | URLSearchParams | undefined;
    if (call.body !== undefined && 'form' in call.body) body = call.body.form;
    else if (call.body !== undefined) {
      body = JSON.stringify(call.body.json);
      headers['Content-Type'] = 'application/json';
    }
    const url = call.path === '' ? this.#baseUrl : `${this.#baseUrl}/${call.path}`;
    return this.#context.fetch(url, { method: call.method, headers, body, signal: requestSignal(this.#context) });
  }

  /**
   * A link the server gave (a next page) as a call on this base, path and query as given. The origin is
   * this client's own: behind --public-url the link names a host this process may not reach.
   */
  pathOf(link: string | undefined): string | undefined {
    if (link === undefined) return undefined;
    const basePath = new URL(this.#baseUrl).pathname;
    const url = new URL(link, this.#baseUrl);
    return url.pathname.startsWith(`${basePath}/`) ? `${url.pathname.slice(basePath.length + 1)}${url.search}` : undefined;
  }
}

function isInvalidToken(result: HttpResult): boolean {
  return /invalid_token/i.test(result.headers.get('WWW-Authenticate') ?? '');
}

function describeRefusal(result: HttpResult): string {
  const description = /error_description="([^"]*)"/.exec(result.headers.get('WWW-Authenticate') ?? '')?.[1];
  return description ?? 'invalid_token';
}

/** The first OperationOutcome issue's text, to say why a call failed. */
function diagnostics(body: unknown): string {
  const issue = (body as { issue?: Array<{ diagnostics?: unknown }> } | undefined)?.issue?.[0];
  return typeof issue?.diagnostics === 'string' ? `: ${issue.diagnostics}` : '';
}
