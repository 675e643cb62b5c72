/**
 * Why talking to an upstream failed. The gateway turns these into partner-shaped answers (502, 504);
 * at start they decide whether a tenant waits for its upstream or refuses to start.
 */
export type UpstreamErrorCode =
  /** No connection: refused, reset, unknown host, TLS failure. */
  | 'unreachable'
  /** Connected, but no answer (or the next piece of one) within the timeout. */
  | 'timeout'
  /** The upstream (or its token endpoint) refused the sandbox's credentials. */
  | 'credentials-refused'
  /** An answer the sandbox cannot use: not FHIR JSON, no token in a token response, no fhirVersion. */
  | 'bad-answer'
  /** The upstream speaks another FHIR version than the tenant is declared with. */
  | 'version-mismatch';

export class UpstreamError extends Error {
  readonly code: UpstreamErrorCode;
  /** Host (and port) of the server that failed, for messages. */
  readonly host: string;

  constructor(code: UpstreamErrorCode, host: string, message: string) {
    super(message);
    this.name = 'UpstreamError';
    this.code = code;
    this.host = host;
  }

  /** Worth trying again later: the upstream may come up or calm down; credentials and versions will not change by themselves. */
  get transient(): boolean {
    return this.code === 'unreachable' || this.code === 'timeout';
  }
}
