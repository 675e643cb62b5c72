import type { FhirVersion } from '../../fhir/types.js';
/** One request the fuzzer sends, and which route family and kind of mutation produced it. */

export type RouteFamily = 'fhir' | 'token' | 'admin' | 'records' | 'framing';

export interface FuzzCase {
  family: RouteFamily;
  /** The generator that made it ("create-mutated", "deep-nesting", …): findings are grouped by it. */
  kind: string;
  method: string;
  /** Path and query as sent (may be deliberately odd). */
  path: string;
  headers: Record<string, string>;
  body?: string | Buffer;
  /** Framing cases: the exact bytes written to the socket instead of a well-formed request. */
  raw?: Buffer;
}

/** What came back: a status, or a transport outcome. */
export interface FuzzAnswer {
  status: number | 'reset' | 'timeout';
  headers: Record<string, string | string[] | undefined>;
  body: Buffer;
}

/** What the fuzzer knows about the running sandbox, for requests that get past authentication. */
export interface FuzzContext {
  tokens: Readonly<Record<FhirVersion, string>>;
  tenants: Readonly<Record<FhirVersion, string>>;
  /** Ids known to exist (seed fixtures, earlier creates), per FHIR version. */
  ids: Readonly<Record<FhirVersion, readonly string[]>>;
}
