import { hash } from 'node:crypto';
import { parse as parseUuid, v5 as uuidV5 } from 'uuid';

// The sandbox's own UUID namespace, so its names cannot collide with another tool's.
const SANDBOX_NAMESPACE = parseUuid(uuidV5('urn:patients-sandbox:bundle-entry', uuidV5.URL));

// Namespace bytes then the name's UTF-8, written in place: one native one-shot hash per id and no
// per-call arrays (uuid's v5 copies both into a fresh array and hashes through a Hash object).
let scratch = Buffer.alloc(1024);
scratch.set(SANDBOX_NAMESPACE);

/**
 * A `urn:uuid:` for a resource that has no URL of its own (a search's outcome, a batch entry's
 * searchset or error), derived from `name` (RFC 9562 version 5): the same name gives the same id,
 * so answers stay reproducible, and names that differ give ids that differ.
 */
export function urnUuid(name: string): string {
  // 3 bytes per UTF-16 unit always suffice; measure only a name too long for that bound.
  const room = scratch.length - SANDBOX_NAMESPACE.length;
  if (name.length * 3 > room && Buffer.byteLength(name) > room) growScratch(Buffer.byteLength(name));
  const end = SANDBOX_NAMESPACE.length + scratch.write(name, SANDBOX_NAMESPACE.length);
  const digest = hash('sha1', scratch.subarray(0, end), 'buffer');
  digest[6] = ((digest[6] as number) & 0x0f) | 0x50;
  digest[8] = ((digest[8] as number) & 0x3f) | 0x80;
  const hex = digest.toString('hex', 0, 16);
  return `urn:uuid:${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}

function growScratch(nameBytes: number): void {
  scratch = Buffer.alloc(SANDBOX_NAMESPACE.length + nameBytes * 2);
  scratch.set(SANDBOX_NAMESPACE);
}
