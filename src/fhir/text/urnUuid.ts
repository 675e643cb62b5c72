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
  // The digest as hex straight from the hash: the version and variant bits are set on its digits.
  const hex = hash('sha1', scratch.subarray(0, end), 'hex');
  return `urn:uuid:${hex.slice(0, 8)}-${hex.slice(8, 12)}-5${hex.slice(13, 16)}-${variantDigit(hex.charCodeAt(16))}${hex.slice(17, 20)}-${hex.slice(20, 32)}`;
}

/** RFC 9562's variant: the high nibble of byte 8 as 10xx, from that nibble's hex digit. */
function variantDigit(hexDigit: number): string {
  const nibble = hexDigit <= 0x39 ? hexDigit - 0x30 : hexDigit - 0x57;
  return VARIANT_DIGITS[nibble & 0b11] as string;
}

const VARIANT_DIGITS = ['8', '9', 'a', 'b'];

function growScratch(nameBytes: number): void {
  scratch = Buffer.alloc(SANDBOX_NAMESPACE.length + nameBytes * 2);
  scratch.set(SANDBOX_NAMESPACE);
}
