import { IncomingMessage, ServerResponse } from 'node:http';
// The global `performance` is a lazy getter on globalThis, run again on every use.
import { performance } from 'node:perf_hooks';
import type Koa from 'koa';
import type { AuthService } from '../auth/authService.js';
import { OAuthError } from '../auth/oauthError.js';
import type { CorsOrigins } from '../config/corsOrigins.js';
import type { EventBus } from '../events/eventBus.js';
import type { RequestFinishedEvent } from '../events/types.js';
import type { Clock } from '../lib/clock.js';
import { corsHeadersWithoutOrigin } from './cors.js';
import type { RequestIds } from './requestIds.js';
import { MAX_ACCEPT_LENGTH } from './requestLifecycle.js';
import { claimedClientId, TOKEN_PATH, tokenResponseJson } from './tokenEndpoint.js';
import { formFields, handOnTokenBody, isTokenFormType, readTokenBody } from './tokenForm.js';
import { clientFacing } from './writeError.js';

export interface FastTokenOptions {
  auth: AuthService;
  /** True while no fault rule can fire; a token request a rule might shape goes through the fault layer. */
  faultsIdle: () => boolean;
  events: EventBus;
  clock: Clock;
  cors: CorsOrigins;
  /** The app's request ids, so ids stay one sequence whichever path answers. */
  nextRequestId: RequestIds;
}

/**
 * Returns false having touched nothing, or takes the request and returns true: it then answers it,
 * or reads its body and hands the request to `koa` with that body (see handOnTokenBody).
 */
export type FastToken = (req: IncomingMessage, res: ServerResponse, koa: KoaListener) => boolean;

/** Koa's request listener, which a request taken here is handed to when Koa must answer it. */
export type KoaListener = (req: IncomingMessage, res: ServerResponse) => unknown;

const JSON_TYPE = 'application/json; charset=utf-8';
const NO_STORE: readonly string[] = ['Cache-Control', 'no-store', 'Pragma', 'no-cache'];

/**
 * A client-credentials token request answered ahead of Koa. A client fetching tokens pays for the
 * form, the secret check, the signature and the answer; Koa's context, the middleware chain, the
 * fault layer's checks and Koa's respond were a fifth of its event loop's instructions besides.
 *
 * Taken from the headers alone: POST to the token path as spelled (no query, no trailing slash), no
 * Origin (CORS then adds the same fixed headers), the form media type, a Content-Length body sent as
 * is (no Content-Encoding, no Transfer-Encoding), the fault engine idle. Once its body is read, a
 * request goes back to Koa with that body when the body could not be read, when it carries a client
 * assertion (private_key_jwt: its `aud` check wants the token URL as Koa works it out), or when a
 * fault rule was added meanwhile. Everything else — a token, or the OAuth error the token service
 * refused it with — is answered here with the headers, in the order, the Koa path writes them and the
 * same request event; the request id is taken when the answer is. The equivalence test holds both
 * paths to the same bytes.
 */
export function fastToken(options: FastTokenOptions): FastToken {
  const { faultsIdle } = options;
  const corsHeaders = corsHeadersWithoutOrigin(options.cors).flat();
  return (req, res, koa) => {
    if (req.method !== 'POST' || req.url !== TOKEN_PATH) return false;
    const headers = req.headers;
    if (headers.origin !== undefined || headers['content-length'] === undefined || headers['content-encoding'] !== undefined || headers['transfer-encoding'] !== undefined) {
      return false;
    }
    if (!isTokenFormType(headers['content-type']) || !faultsIdle()) return false;
    answer(options, corsHeaders, req, res, koa).catch((error: unknown) => {
      // Only a bug gets here (the token service's refusals are answers): end the exchange rather than leave the client waiting.
      process.stderr.write(`patients-sandbox: unhandled error on POST ${TOKEN_PATH}: ${(error as Error)?.stack ?? String(error)}\n`);
      res.destroy();
    });
    return true;
  };
}

async function answer(options: FastTokenOptions, corsHeaders: readonly string[], req: IncomingMessage, res: ServerResponse, koa: KoaListener): Promise<void> {
  const { auth, faultsIdle, events, clock, nextRequestId } = options;
  const started = performance.now();
  const startedAt = clock.now();
  const body = readTokenBody(req);
  let text: string;
  try {
    text = await body;
  } catch {
    // Koa answers a body it could not read (too large, cut short) as it always has.
    return handOn(req, res, body, koa);
  }
  const form = formFields(text);
  if (form.client_assertion !== undefined || form.client_assertion_type !== undefined || !faultsIdle()) return handOn(req, res, body, koa);

  const authorization = req.headers.authorization;
  let outcome: Outcome;
  try {
    // No token endpoint URL: only a client assertion needs it, and those went to Koa.
    const issued = await auth.requestToken(form, authorization || undefined);
    outcome = { status: 200, head: NO_STORE, text: tokenResponseJson(issued.body), tenantId: issued.tenantId, clientId: issued.clientId, jti: issued.jti };
  } catch (error) {
    const refusal = asOAuthError(error);
    // A refused request is logged under the client it named, as the Koa path logs it.
    const clientId = claimedClientId(form, authorization ?? '');
    const head = refusal.wwwAuthenticate ? ['WWW-Authenticate', refusal.wwwAuthenticate, ...NO_STORE] : NO_STORE;
    outcome = { status: refusal.status, head, text: JSON.stringify(refusal.toJSON()), tenantId: undefined, clientId, jti: undefined };
  }
  const { status, text: answerText, tenantId, clientId, jti } = outcome;
  const event: RequestFinishedEvent = {
    type: 'request',
    at: clock.now(),
    requestId: nextRequestId(),
    method: 'POST',
    route: TOKEN_PATH,
    path: TOKEN_PATH,
    status,
    ms: Math.round((performance.now() - started) * 100) / 100,
    startedAt,
  };
  // The fields in the order the Koa path sets them, each under the same condition.
  if (tenantId) event.tenantId = tenantId;
  if (clientId) event.clientId = clientId;
  const { host, accept } = req.headers;
  if (host !== undefined) event.host = host;
  if (accept !== undefined) event.accept = accept.slice(0, MAX_ACCEPT_LENGTH);
  if (jti !== undefined) event.tokenJti = jti;
  events.emit(event);
  // One header list for writeHead: Node writes it as given, without the per-field bookkeeping of setHeader.
  const head = [...corsHeaders, ...outcome.head, 'Content-Type', JSON_TYPE, 'Content-Length', String(Buffer.byteLength(answerText))];
  res.writeHead(status, head).end(answerText);
}

/** What the request is answered with, and what its request event says of it. */
interface Outcome {
  status: number;
  /** The fields between the CORS ones and Content-Type. */
  head: readonly string[];
  text: string;
  tenantId: string | undefined;
  clientId: string | undefined;
  jti: string | undefined;
}

function handOn(req: IncomingMessage, res: ServerResponse, body: Promise<string>, koa: KoaListener): void {
  handOnTokenBody(req, body);
  void koa(req, res);
}

/** What the Koa path's error writer answers an error of the token endpoint with: an OAuthError as it is, anything else as its status says. */
function asOAuthError(error: unknown): OAuthError {
  if (error instanceof OAuthError) return error;
  const { status, message, expected } = clientFacing(error);
  if (!expected) process.stderr.write(`patients-sandbox: unhandled error on POST ${TOKEN_PATH}: ${(error as Error)?.stack ?? String(error)}\n`);
  return new OAuthError(status >= 500 ? 'server_error' : 'invalid_request', message, { status });
}

const TAKEN = Promise.resolve();

/**
 * The app's request listener takes the token requests `token` admits and hands every other request,
 * and any HTTP/2 one, to Koa.
 */
export function answerTokensFirst<S>(app: Koa<S>, token: FastToken): void {
  const koaCallback = app.callback.bind(app);
  app.callback = () => {
    const koa = koaCallback();
    return (req, res) => {
      if (req instanceof IncomingMessage && res instanceof ServerResponse && token(req, res, koa)) return TAKEN;
      return koa(req, res);
    };
  };
}
