import type { Readable } from 'node:stream';
import { JSONParser } from '@streamparser/json';

// FHIR JSON puts `link` before `entry`: the links are in the first bytes of a searchset, or not looked for.
const MAX_PEEK_BYTES = 64 * 1024;

/**
 * The `next` link of a searchset answer, read from its first bytes while the rest waits: the request
 * event names it (the report card follows paging by it) before the body streams on. Whatever was
 * read is put back, so the body still streams whole; undefined when the links do not come first.
 */
export async function peekNextLink(body: Readable): Promise<string | undefined> {
  const parser = new JSONParser({ paths: ['$.link'], keepStack: false });
  let links: unknown;
  parser.onValue = ({ value }) => {
    links = value;
  };
  parser.onError = () => undefined;
  const head: Buffer[] = [];
  let size = 0;
  for await (const chunk of body.iterator({ destroyOnReturn: false })) {
    const bytes = chunk as Buffer;
    head.push(bytes);
    size += bytes.length;
    try {
      if (!parser.isEnded) parser.write(bytes);
    } catch {
      break;
    }
    if (links !== undefined || size > MAX_PEEK_BYTES) break;
  }
  if (head.length > 0) body.unshift(Buffer.concat(head));
  if (!Array.isArray(links)) return undefined;
  const next = links.find((link: unknown) => (link as { relation?: unknown } | null)?.relation === 'next') as { url?: unknown } | undefined;
  return typeof next?.url === 'string' ? next.url : undefined;
}
