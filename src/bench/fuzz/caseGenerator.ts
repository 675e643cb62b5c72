import { FHIR_VERSIONS, type FhirVersion } from '../../fhir/types.js';
import { adapterFor } from '../../fhir/versions/index.js';
import type { RandomSource } from '../../lib/random.js';
import type { FuzzCase, FuzzContext, RouteFamily } from './fuzzCase.js';

type Maker = (g: CaseGenerator) => FuzzCase;

/**
 * Random and mutated requests over every route family, from a seeded source: the same seed gives the
 * same requests. Each kind is a small maker; `skipKinds` leaves some out (the in-suite run skips
 * the kinds that other work in progress fixes).
 */
export class CaseGenerator {
  readonly random: RandomSource;
  readonly context: () => FuzzContext;
  readonly #makers: ReadonlyArray<readonly [kind: string, weight: number, make: Maker]>;
  readonly #totalWeight: number;

  constructor(random: RandomSource, context: () => FuzzContext, skipKinds: ReadonlySet<string> = new Set()) {
    this.random = random;
    this.context = context;
    this.#makers = MAKERS.filter(([kind]) => !skipKinds.has(kind));
    this.#totalWeight = this.#makers.reduce((sum, [, weight]) => sum + weight, 0);
  }

  static kinds(): string[] {
    return MAKERS.map(([kind]) => kind);
  }

  next(): FuzzCase {
    let draw = this.random.next() * this.#totalWeight;
    for (const [kind, weight, make] of this.#makers) {
      draw -= weight;
      if (draw < 0) return { ...make(this), kind };
    }
    const [kind, , make] = this.#makers[this.#makers.length - 1] as readonly [string, number, Maker];
    return { ...make(this), kind };
  }

  int(max: number): number {
    return Math.floor(this.random.next() * max);
  }

  chance(p: number): boolean {
    return this.random.next() < p;
  }

  pick<T>(items: readonly T[]): T {
    return items[this.int(items.length)] as T;
  }

  version(): FhirVersion {
    return this.pick(FHIR_VERSIONS);
  }

  id(version: FhirVersion): string {
    const ids = this.context().ids[version];
    return this.chance(0.7) && ids.length > 0 ? this.pick(ids) : this.pick(ODD_IDS);
  }

  text(maxLength = 20): string {
    const length = this.int(maxLength + 1);
    let out = '';
    for (let i = 0; i < length; i++) out += this.pick(ALPHABET);
    return out;
  }

  /** A random JSON value, `depth` levels at most. */
  json(depth = 3): unknown {
    const roll = this.int(depth <= 0 ? 5 : 8);
    switch (roll) {
      case 0:
        return null;
      case 1:
        return this.chance(0.5);
      case 2:
        return this.pick([0, -1, 1.5, 1e308, -0, 2 ** 53 + 1, this.int(1000)]);
      case 3:
      case 4:
        return this.text();
      case 5:
      case 6: {
        const object: Record<string, unknown> = {};
        for (let i = this.int(4); i > 0; i--) object[this.chance(0.5) ? this.pick(FIELD_NAMES) : this.text(8)] = this.json(depth - 1);
        return object;
      }
      default:
        return Array.from({ length: this.int(4) }, () => this.json(depth - 1));
    }
  }

  /** A valid resource changed in one or two places: a field removed, retyped, or added. */
  mutate(resource: Record<string, unknown>): Record<string, unknown> {
    const copy: Record<string, unknown> = structuredClone(resource);
    for (let i = 1 + this.int(2); i > 0; i--) {
      const keys = Object.keys(copy);
      const key = this.pick(keys);
      const roll = this.int(4);
      if (roll === 0) delete copy[key];
      else if (roll === 1) copy[key] = this.json(2);
      else if (roll === 2) copy[this.pick(FIELD_NAMES)] = this.json(2);
      else copy.id = this.pick([42, '', 'a b', 'x'.repeat(70), null, this.text(10)]);
    }
    return copy;
  }
}

const ALPHABET = [...'abcXYZ019 -_.,|:$*%&=?/#"\'\\<>{}[]', 'é', '中', '\u0000', '\u202e', '😀', '%00', '%2F', '%zz'];
const ODD_IDS = ['does-not-exist', 'a.b', '-', 'x'.repeat(64), 'x'.repeat(65), '%2e%2e', 'ü', '1'];
const FIELD_NAMES = ['resourceType', 'id', 'meta', 'name', 'gender', 'birthDate', 'identifier', 'extension', 'subject', 'status', 'code', 'text', 'contained', 'entry'];
const FHIR_TYPES = ['Patient', 'Observation', 'Condition', 'Encounter', 'AllergyIntolerance', 'Coverage', 'Location', 'MedicationRequest', 'MedicationOrder', 'Bundle', 'patient', 'Nope', ''];
const FHIR_CONTENT_TYPES = ['application/fhir+json', 'application/json+fhir', 'application/json', 'application/fhir+xml', 'text/plain', 'application/x-www-form-urlencoded', 'multipart/form-data; boundary=x', ''];
const SEARCH_VALUE_PREFIXES = ['', 'eq', 'ne', 'gt', 'lt', 'ge', 'le', 'sa', 'eb', 'ap', 'zz'];
const SEARCH_MODIFIERS = ['', ':exact', ':contains', ':missing', ':not', ':text', ':above', ':below', ':in', ':desc', ':bogus'];

function fhirHeaders(g: CaseGenerator, version: FhirVersion, contentType?: string): Record<string, string> {
  const headers: Record<string, string> = { Authorization: `Bearer ${g.context().tokens[version]}` };
  if (contentType !== undefined && contentType !== '') headers['Content-Type'] = contentType;
  if (g.chance(0.1)) headers.Accept = g.pick(['application/fhir+xml', 'text/html', '*/*', 'application/json', 'nonsense']);
  if (g.chance(0.05)) headers['If-None-Match'] = g.pick(['W/"1"', '"1"', '*', 'W/"9", W/"1"', 'garbage']);
  if (g.chance(0.05)) headers['If-Match'] = g.pick(['W/"1"', '"x"', '*']);
  if (g.chance(0.05)) headers.Prefer = g.pick(['return=minimal', 'return=representation', 'return=OperationOutcome', 'handling=strict', 'handling=lenient', 'x']);
  return headers;
}

function searchQuery(g: CaseGenerator, version: FhirVersion, type: string): string {
  const params = adapterFor(version).searchParams[type] ?? [];
  const names = [...params.map((param) => param.name), '_id', '_count', '_sort', '_sort:desc', '_format', '_elements', '_include', '_revinclude', '_summary', '_lastUpdated', 'bogus'];
  const pairs: string[] = [];
  for (let i = g.int(4); i >= 0; i--) {
    const name = g.pick(names) + (g.chance(0.3) ? g.pick(SEARCH_MODIFIERS) : '');
    const values = Array.from({ length: 1 + g.int(3) }, () => {
      const roll = g.int(6);
      if (roll === 0) return `${g.pick(SEARCH_VALUE_PREFIXES)}${g.pick(['2020', '2020-01', '2020-01-01', '2020-01-01T10:00:00Z', '2020-13-45', '1e9'])}`;
      if (roll === 1) return `${g.pick(['http://loinc.org', 'urn:x', ''])}|${g.text(6)}`;
      if (roll === 2) return `Patient/${g.id(version)}`;
      if (roll === 3) return String(g.pick([0, -1, 1, 50, 1000, 1e12, 'NaN']));
      return g.text(10);
    });
    // Commas stay literal (they separate OR-ed values); everything else is percent-encoded.
    pairs.push(`${encodeURIComponent(name)}=${values.map((value) => encodeURIComponent(value)).join(',')}`);
  }
  return pairs.join('&');
}

function validResource(g: CaseGenerator, version: FhirVersion, type: string): Record<string, unknown> {
  if (type === 'Observation') {
    return {
      resourceType: 'Observation',
      status: 'final',
      code: { coding: [{ system: 'http://loinc.org', code: '8867-4' }] },
      subject: { reference: `Patient/${g.id(version)}` },
      valueQuantity: { value: g.int(200), unit: '/min' },
    };
  }
  return { resourceType: 'Patient', name: [{ family: version === 'dstu2' ? [g.text(8)] : g.text(8), given: [g.text(6)] }], gender: g.pick(['male', 'female', 'other', 'unknown']) };
}

/** JSON text of an extension inside an extension, `depth` times (as text: JSON.stringify itself overflows the stack on deep values). */
function nestedExtension(depth: number): string {
  return `${'{"url":"http://example.org/nest","extension":['.repeat(depth)}{"url":"http://example.org/leaf","valueString":"leaf"}${']}'.repeat(depth)}`;
}

const fhir = (make: (g: CaseGenerator, version: FhirVersion, base: string) => Omit<FuzzCase, 'family' | 'kind'>): Maker => (g) => {
  const version = g.version();
  return { family: 'fhir' as RouteFamily, kind: '', ...make(g, version, `/fhir/${version}`) };
};

const MAKERS: ReadonlyArray<readonly [string, number, Maker]> = [
  ['fhir-read', 8, fhir((g, version, base) => ({ method: g.pick(['GET', 'GET', 'HEAD']), path: `${base}/${g.pick(FHIR_TYPES)}/${encodeURIComponent(g.id(version))}`, headers: fhirHeaders(g, version) }))],
  ['fhir-search', 12, fhir((g, version, base) => {
    const type = g.pick(FHIR_TYPES);
    if (g.chance(0.3)) {
      return { method: 'POST', path: `${base}/${type}/_search`, headers: fhirHeaders(g, version, 'application/x-www-form-urlencoded'), body: searchQuery(g, version, type) };
    }
    return { method: 'GET', path: `${base}/${type}?${searchQuery(g, version, type)}`, headers: fhirHeaders(g, version) };
  })],
  ['fhir-create-mutated', 8, fhir((g, version, base) => {
    const type = g.pick(['Patient', 'Observation']);
    return { method: 'POST', path: `${base}/${type}`, headers: fhirHeaders(g, version, g.pick(FHIR_CONTENT_TYPES)), body: JSON.stringify(g.chance(0.3) ? validResource(g, version, type) : g.mutate(validResource(g, version, type))) };
  })],
  ['fhir-update-mutated', 5, fhir((g, version, base) => {
    const id = g.id(version);
    const resource = { ...validResource(g, version, 'Patient'), id };
    return { method: 'PUT', path: `${base}/Patient/${encodeURIComponent(id)}`, headers: fhirHeaders(g, version, g.pick(FHIR_CONTENT_TYPES)), body: JSON.stringify(g.chance(0.3) ? resource : g.mutate(resource)) };
  })],
  ['fhir-delete', 3, fhir((g, version, base) => ({ method: 'DELETE', path: `${base}/${g.pick(FHIR_TYPES)}/${encodeURIComponent(g.id(version))}`, headers: fhirHeaders(g, version) }))],
  ['fhir-random-json', 5, fhir((g, version, base) => ({
    method: g.pick(['POST', 'PUT', 'PATCH']),
    path: g.pick([base, `${base}/Patient`, `${base}/Patient/${encodeURIComponent(g.id(version))}`, `${base}/Patient/_search`]),
    headers: fhirHeaders(g, version, 'application/fhir+json'),
    body: JSON.stringify(g.json(4)),
  }))],
  ['fhir-not-json', 4, fhir((g, version, base) => ({
    method: g.pick(['POST', 'PUT']),
    path: g.pick([base, `${base}/Patient`, `${base}/Patient/${encodeURIComponent(g.id(version))}`]),
    headers: fhirHeaders(g, version, g.pick(['application/fhir+json', 'application/json'])),
    body: g.pick(['', '{', '{"resourceType":', 'null', '[]', '"x"', '{"a":1}}', g.text(40), Buffer.from([0xff, 0xfe, 0x00, 0x7b]).toString('latin1')]),
  }))],
  ['fhir-batch', 5, fhir((g, version, base) => {
    const entries = Array.from({ length: g.int(6) }, () =>
      g.chance(0.2)
        ? g.json(2)
        : { request: { method: g.pick(['GET', 'POST', 'PUT', 'DELETE', 'PATCH', 'BOGUS']), url: g.pick([`Patient/${g.id(version)}`, `Patient?${searchQuery(g, version, 'Patient')}`, 'Observation', '/Patient', 'http://x/y', '']) }, ...(g.chance(0.3) ? { resource: validResource(g, version, 'Patient') } : {}) },
    );
    const bundle = { resourceType: g.chance(0.9) ? 'Bundle' : 'Patient', type: g.pick(['batch', 'transaction', 'searchset', 'nope']), entry: entries };
    return { method: 'POST', path: base, headers: fhirHeaders(g, version, 'application/fhir+json'), body: JSON.stringify(bundle) };
  })],
  ['fhir-bad-auth', 3, fhir((g, version, base) => ({
    method: 'GET',
    path: `${base}/Patient`,
    headers: { Authorization: g.pick(['', 'Bearer', 'Bearer x.y.z', `Basic ${Buffer.from('a:b').toString('base64')}`, `Bearer ${g.context().tokens[version === 'stu3' ? 'r4' : 'stu3']}`, `bearer ${g.text(30)}`]) },
  }))],
  ['fhir-odd-path', 4, fhir((g, version, base) => ({
    method: g.pick(['GET', 'POST', 'OPTIONS', 'DELETE', 'PATCH']),
    path: g.pick([`${base}//Patient`, `${base}/Patient/../metadata`, `${base}/Patient/a/b/c/d`, `${base}/%50atient`, `${base}/Patient/${encodeURIComponent(g.id(version))}/_history/${g.pick(['1', 'x', '99'])}`, `${base}/metadata?_format=${encodeURIComponent(g.text(5))}`, `${base}/$export`, `${base}/Patient/$everything`, `${base}/.well-known/smart-configuration`, `/fhir/r9/Patient`, `${base}/${encodeURIComponent(g.text(12))}`]),
    headers: fhirHeaders(g, version),
  }))],
  ['fhir-raw-url', 1, fhir((g, version, base) => ({
    method: 'GET',
    path: `${base}/${g.pick(['Patient/ü', 'Patient?name=é', 'metadata?_format=\u00e9a', 'Patient?family=%', 'Patient?x=%zz'])}`,
    headers: fhirHeaders(g, version),
  }))],
  ['fhir-big-body', 1, fhir((g, version, base) => ({
    method: 'POST',
    path: `${base}/Patient`,
    headers: fhirHeaders(g, version, 'application/fhir+json'),
    body: JSON.stringify({ ...validResource(g, version, 'Patient'), text: { status: 'generated', div: `<div>${'x'.repeat(g.pick([100_000, 1_100_000, 6_000_000]))}</div>` } }),
  }))],
  ['deep-nesting', 1, fhir((g, version, base) => ({
    method: 'POST',
    path: `${base}/Patient`,
    headers: fhirHeaders(g, version, 'application/fhir+json'),
    body: `${JSON.stringify(validResource(g, version, 'Patient')).slice(0, -1)},"extension":[${nestedExtension(g.pick([50, 500, 1_500, 3_000, 20_000]))}]}`,
  }))],
  ['content-encoding', 1, fhir((g, version, base) => ({
    method: 'POST',
    path: g.pick([`${base}/Patient`, `${base}/Patient/_search`]),
    headers: { ...fhirHeaders(g, version, 'application/fhir+json'), 'Content-Encoding': g.pick(['gzip', 'deflate', 'br', 'x-bogus']) },
    body: JSON.stringify(validResource(g, version, 'Patient')),
  }))],
  ['search-json-body', 1, fhir((g, version, base) => ({ method: 'POST', path: `${base}/Patient/_search`, headers: fhirHeaders(g, version, 'application/json'), body: JSON.stringify({ family: g.text(5) }) }))],
  ['token', 8, (g) => {
    const context = g.context();
    const fields: Record<string, string> = {};
    if (g.chance(0.8)) fields[g.chance(0.9) ? 'grant_type' : 'grant-type'] = g.pick(['client_credentials', 'authorization_code', '', g.text(8)]);
    if (g.chance(0.7)) fields.client_id = g.pick(['load-client', 'demo-client', '', g.text(8)]);
    if (g.chance(0.7)) fields.client_secret = g.pick(['load-secret-not-for-production', 'wrong', '', g.text(30)]);
    if (g.chance(0.8)) fields.scope = g.pick([context.tenants.stu3, context.tenants.dstu2, `${context.tenants.stu3} ${context.tenants.dstu2}`, '', g.text(36)]);
    const headers: Record<string, string> = { 'Content-Type': g.pick(['application/x-www-form-urlencoded', 'application/json', 'text/plain', 'application/x-www-form-urlencoded; charset=utf-8']) };
    if (g.chance(0.2)) headers.Authorization = g.pick([`Basic ${Buffer.from('load-client:load-secret-not-for-production').toString('base64')}`, 'Basic !!!', 'Basic ', `Basic ${Buffer.from(g.text(10)).toString('base64')}`]);
    const form = new URLSearchParams(fields).toString();
    return { family: 'token', kind: '', method: g.pick(['POST', 'POST', 'POST', 'GET', 'PUT']), path: g.pick(['/oauth2/token', '/oauth2/token?x=1', '/oauth2/authorize', '/oauth2/token/']), headers, body: headers['Content-Type'] === 'application/json' ? JSON.stringify(fields) : form };
  }],
  ['admin', 10, (g) => {
    const context = g.context();
    const client = g.pick(['demo-client', 'no-such-client', g.text(6)]);
    const path = g.pick([
      '/admin/tenants',
      '/admin/clients',
      `/admin/clients/${encodeURIComponent(client)}`,
      `/admin/clients/${encodeURIComponent(client)}/secrets`,
      `/admin/clients/${encodeURIComponent(client)}/secrets/${encodeURIComponent(g.text(4))}`,
      `/admin/clients/${encodeURIComponent(client)}/revoke-tokens`,
      '/admin/tokens',
      '/admin/tokens/policy',
      '/admin/tokens/expire-all',
      '/admin/keys/rotate',
      '/admin/faults',
      `/admin/faults/${encodeURIComponent(g.pick(['flaky-partner/503', 'nope', g.text(5)]))}`,
      `/admin/faults/presets/${g.pick(['flaky-partner', 'throttled', 'token-churn', 'broken-paging', 'half-written', 'tenant-outage', 'calm', 'nope'])}`,
      `/admin/requests?limit=${g.pick(['1', '0', '501', 'x', '-1', '10'])}`,
      '/admin/nope',
      `/admin/tenants/${context.tenants.stu3}/records`,
    ]);
    const body = g.chance(0.5)
      ? JSON.stringify(g.pick([
          { tenants: '*' },
          { id: g.text(8), tenants: [context.tenants.stu3] },
          { lifetimeSeconds: g.pick([1, 60, 3600, 0, -5, 'x']) },
          { graceSeconds: g.pick([0, 60, -1]) },
          { tenantId: g.pick([context.tenants.dstu2, 'x']) },
          { name: g.text(6), effect: { error: { status: g.pick([500, 503, 404, 99]) } }, probability: 0.2, match: { route: g.pick(['read', 'search']) } },
          g.json(3),
        ]))
      : undefined;
    return { family: 'admin', kind: '', method: g.pick(['GET', 'GET', 'POST', 'PATCH', 'DELETE', 'PUT']), path, headers: { 'Content-Type': g.pick(['application/json', 'text/plain', 'application/x-www-form-urlencoded']) }, ...(body === undefined ? {} : { body }) };
  }],
  ['admin-path-spelling', 1, (g) => ({ family: 'admin', kind: '', method: g.pick(['GET', 'POST']), path: g.pick(['/ADMIN/tenants', '/Admin/clients', '//admin/tenants', '/%61dmin/tenants', '/admin/', '/admin']), headers: { 'Content-Type': 'application/json' }, body: '{}' })],
  ['records', 8, (g) => {
    const version = g.version();
    const tenant = g.context().tenants[version];
    const type = g.pick(['Patient', 'Observation', 'Nope', 'patient']);
    const base = `/admin/tenants/${g.chance(0.9) ? tenant : encodeURIComponent(g.text(8))}/records/${type}`;
    const method = g.pick(['GET', 'GET', 'POST', 'PUT', 'PATCH', 'DELETE']);
    const path = method === 'POST' || (method === 'GET' && g.chance(0.5))
      ? `${base}?${g.pick(['_page=2&_limit=5', '_page=x', '_limit=-1', `q=${encodeURIComponent(g.text(4))}`, '_sort=id&_order=desc', 'gender=male', ''])}`
      : `${base}/${encodeURIComponent(g.id(version))}`;
    // A POST names a fresh id (an existing one is the records-duplicate-id kind).
    const id = method === 'POST' ? `fz${g.int(1e9).toString(36)}` : g.id(version);
    // Objects only: a JSON body that is not an object is the records-malformed-json kind.
    const body = method === 'GET' || method === 'DELETE' ? undefined : JSON.stringify(g.chance(0.5) ? g.mutate({ ...validResource(g, version, 'Patient'), id }) : { id, [g.pick(FIELD_NAMES)]: g.json(2), [g.text(6)]: g.json(1) });
    return { family: 'records', kind: '', method, path, headers: { 'Content-Type': 'application/json' }, ...(body === undefined ? {} : { body }) };
  }],
  ['records-duplicate-id', 1, (g) => ({
    family: 'records',
    kind: '',
    method: 'POST',
    path: `/admin/tenants/${g.context().tenants.stu3}/records/Patient`,
    headers: { 'Content-Type': 'application/json' },
    body: JSON.stringify({ ...validResource(g, 'stu3', 'Patient'), id: g.pick(g.context().ids.stu3) }),
  })],
  ['records-malformed-json', 1, (g) => ({
    family: 'records',
    kind: '',
    method: g.pick(['POST', 'PUT', 'PATCH']),
    path: `/admin/tenants/${g.context().tenants.stu3}/records/Patient${g.chance(0.5) ? '' : `/${encodeURIComponent(g.id('stu3'))}`}`,
    headers: { 'Content-Type': 'application/json' },
    body: g.pick(['{', '{"a":', '[1,', 'nul', '"text"', '42', 'null', '[]']),
  })],
  ['framing', 3, (g) => {
    const raw = g.pick([
      'POST /fhir/stu3/Patient HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Length: 10\r\nContent-Length: 12\r\n\r\n{"a":1}',
      'POST /fhir/stu3/Patient HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Length: abc\r\n\r\n{}',
      'POST /fhir/stu3/Patient HTTP/1.1\r\nHost: 127.0.0.1\r\nTransfer-Encoding: chunked\r\n\r\nzz\r\ngarbage\r\n0\r\n\r\n',
      'GET /fhir/stu3/metadata HTTP/1.1\r\n\r\n',
      `GET /fhir/stu3/metadata HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Big: ${'a'.repeat(20_000)}\r\n\r\n`,
      `GET /fhir/stu3/Patient?${'a'.repeat(70_000)} HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n`,
      'GARBAGE\r\n\r\n',
      'GET /fhir/stu3/metadata HTTP/9.9\r\nHost: 127.0.0.1\r\n\r\n',
      'POST /oauth2/token HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Length: 100\r\n\r\nshort',
    ]);
    return { family: 'framing', kind: '', method: 'RAW', path: raw.slice(0, raw.indexOf(' HTTP') > 0 ? Math.min(raw.indexOf(' HTTP'), 80) : 20), headers: {}, raw: Buffer.from(raw, 'latin1') };
  }],
];
