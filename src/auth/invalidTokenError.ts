export type InvalidTokenReason =
  | 'missing'
  | 'malformed'
  | 'unknown-key'
  | 'bad-signature'
  | 'expired'
  | 'not-yet-valid'
  | 'wrong-issuer'
  | 'wrong-audience'
  | 'missing-claim'
  | 'revoked'
  | 'unknown-client'
  | 'tenant-not-allowed'
  | 'unknown-tenant';

/** A bearer token the gateway refuses: 401 with `WWW-Authenticate: Bearer error="invalid_token"`. */
export class InvalidTokenError extends Error {
  readonly code = 'invalid_token';
  readonly reason: InvalidTokenReason;
  constructor(reason: InvalidTokenReason, message: string) {
    super(message);
    this.name = 'InvalidTokenError';
    this.reason = reason;
  }
}
