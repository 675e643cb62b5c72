import type { Context } from 'koa';
import { tooDeep } from '../fhir/outcome.js';
import { LIMITS_IN_WORDS, RESOURCE_LIMITS, nestsDeeperThan } from '../fhir/resourceLimits.js';
import { FHIR_JSON_TYPES } from './fhirContentType.js';
import type { GatewayRoute } from './gatewayRoute.js';
import { readRequestBody } from './readRequestBody.js';

// The one body type FHIR defines for POST _search.
const SEARCH_FORM_TYPE = 'application/x-www-form-urlencoded';

// A body past this is refused with 413 before it is parsed; read as UTF-8 whatever charset the client names, as before.
const READ_OPTIONS = { limit: RESOURCE_LIMITS.maxBytes } as const;

/**
 * Reads the body of a gateway route that carries one into `ctx.request.body`, straight from the
 * request (readRequestBody): FHIR JSON parsed (an empty body is `{}`), a search form kept as text.
 * A body of the wrong type is 415, one past the limit 413, bad JSON 400, and a body that cannot be
 * read as sent (gzip or deflate that does not decompress, a stream that breaks off) the client's 400.
 */
export async function readGatewayBody(ctx: Context, route: GatewayRoute): Promise<void> {
  if (route.jsonBody && bodyTypeIs(ctx, FHIR_JSON_TYPES, FHIR_JSON_BY_HEADER) !== true) {
    throw Object.assign(new Error(`send the body as ${FHIR_JSON_TYPES.join(', ')}`), { status: 415, expose: true });
  }
  // A search form may be absent or empty (parameters in the URL only); a body of another type
  // would be read as no parameters, that is as an unfiltered search.
  if (!route.jsonBody && ctx.request.length !== 0 && bodyTypeIs(ctx, [SEARCH_FORM_TYPE], SEARCH_FORM_BY_HEADER) === false) {
    const sent = ctx.get('Content-Type');
    throw Object.assign(new Error(`send the search parameters of POST _search as ${SEARCH_FORM_TYPE}, not ${sent}`), { status: 415, expose: true });
  }
  // An empty search body of another type holds no parameters: nothing to read.
  if (!route.jsonBody && ctx.request.type !== SEARCH_FORM_TYPE) return;
  const body = await readRequestBody(ctx.req, route.jsonBody ? 'json' : 'text', READ_OPTIONS);
  // At the door: nothing past here (validation, batch entries, storage) walks an unbounded depth.
  if (nestsDeeperThan(body)) throw tooDeep(`The body nests deeper than this server accepts: at most ${LIMITS_IN_WORDS.depth}`);
  (ctx.request as { body?: unknown }).body = body;
}

// Whether a Content-Type header names one of a route's body types, per header text: clients send the
// same few, and type-is parses and normalises the header on every call. Bounded: cleared when full.
const FHIR_JSON_BY_HEADER = new Map<string | undefined, boolean>();
const SEARCH_FORM_BY_HEADER = new Map<string | undefined, boolean>();
const REMEMBERED_HEADERS = 64;

/**
 * `ctx.is(types)` as true/false/null: null when the request has no body (type-is's rule: no
 * Transfer-Encoding and no numeric Content-Length), else whether its Content-Type is one of
 * `types`, asked of type-is once per distinct header text.
 */
function bodyTypeIs(ctx: Context, types: string[], byHeader: Map<string | undefined, boolean>): boolean | null {
  const headers = ctx.req.headers;
  if (headers['transfer-encoding'] === undefined && Number.isNaN(Number(headers['content-length']))) return null;
  const header = headers['content-type'];
  let matches = byHeader.get(header);
  if (matches === undefined) {
    matches = ctx.is(types) !== false;
    if (byHeader.size >= REMEMBERED_HEADERS) byHeader.clear();
    byHeader.set(header, matches);
  }
  return matches;
}
