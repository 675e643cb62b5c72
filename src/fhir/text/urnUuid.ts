import { parse as parseUuid, v5 as uuidV5 } from 'uuid';

// The sandbox's own UUID namespace, so its names cannot collide with another tool's. Held as bytes:
// given as text, uuid would parse it again on every call.
const SANDBOX_NAMESPACE = parseUuid(uuidV5('urn:patients-sandbox:bundle-entry', uuidV5.URL));

/**
 * A `urn:uuid:` for a resource that has no URL of its own (a search's outcome, a batch entry's
 * searchset or error), derived from `name` (RFC 9562 version 5): the same name gives the same id,
 * so answers stay reproducible, and names that differ give ids that differ. The name goes in as its
 * UTF-8 bytes, encoded natively (uuid's own text encoding is the larger part of its cost).
 */
export function urnUuid(name: string): string {
  return `urn:uuid:${uuidV5(Buffer.from(name, 'utf8'), SANDBOX_NAMESPACE)}`;
}
