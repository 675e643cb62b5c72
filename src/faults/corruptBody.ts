/**
 * Pure transformations of a response body for the response-shaping faults. Bodies arrive as a
 * handler left them: an object, JSON text, or a Buffer.
 */

export interface BundleLink {
  relation: string;
  url: string;
}

export interface SearchBundle {
  resourceType: 'Bundle';
  type: 'searchset';
  total?: number;
  entry?: unknown[];
  link?: BundleLink[];
  [key: string]: unknown;
}

/** The body as text, or undefined when there is none or it is a stream we cannot rewrite. */
export function bodyText(body: unknown): string | undefined {
  if (typeof body === 'string') return body;
  if (Buffer.isBuffer(body)) return body.toString('utf8');
  if (body === null || body === undefined || typeof body !== 'object' || typeof (body as { pipe?: unknown }).pipe === 'function') {
    return undefined;
  }
  return JSON.stringify(body);
}

/** Same length give or take, but a trailing comma before the last brace: a classic broken serializer. */
export function malformJson(text: string): string {
  const trimmed = text.trimEnd();
  const last = trimmed.at(-1);
  if (last === '}' || last === ']') return `${trimmed.slice(0, -1)},${last}`;
  return `${trimmed}}`;
}

/** What a misconfigured proxy or a login portal answers instead of JSON. */
export function htmlErrorPage(status: number): string {
  return (
    '<!DOCTYPE html>\n<html><head><title>Service notice</title></head>' +
    `<body><h1>Service notice</h1><p>The service could not complete your request (${status}).</p></body></html>\n`
  );
}

function isLink(value: unknown): value is BundleLink {
  return typeof value === 'object' && value !== null && typeof (value as BundleLink).relation === 'string' && typeof (value as BundleLink).url === 'string';
}

/** A searchset Bundle from the body, or undefined for anything else (a read, an error, broken JSON). */
export function asSearchBundle(body: unknown): SearchBundle | undefined {
  let value: unknown = body;
  if (typeof body === 'string' || Buffer.isBuffer(body)) {
    try {
      value = JSON.parse(body.toString());
    } catch {
      return undefined;
    }
  }
  if (typeof value !== 'object' || value === null) return undefined;
  const bundle = value as Partial<SearchBundle>;
  if (bundle.resourceType !== 'Bundle' || bundle.type !== 'searchset') return undefined;
  if (bundle.link !== undefined && !(Array.isArray(bundle.link) && bundle.link.every(isLink))) return undefined;
  return { ...bundle, resourceType: 'Bundle', type: 'searchset' };
}

export function entryCount(bundle: SearchBundle): number {
  return Array.isArray(bundle.entry) ? bundle.entry.length : 0;
}

/** `total` off by `delta` from what the server counted (or from the entries, when it sent no total); never negative. */
export function misstateTotal(bundle: SearchBundle, delta: number): SearchBundle {
  const real = typeof bundle.total === 'number' ? bundle.total : entryCount(bundle);
  return { ...bundle, total: Math.max(0, real + delta) };
}

export function findLink(bundle: SearchBundle, relation: string): string | undefined {
  return bundle.link?.find((link) => link.relation === relation)?.url;
}

/** The bundle with its `relation` link set to `url` (added if absent). */
export function withLink(bundle: SearchBundle, relation: string, url: string): SearchBundle {
  const others = (bundle.link ?? []).filter((link) => link.relation !== relation);
  return { ...bundle, link: [...others, { relation, url }] };
}
