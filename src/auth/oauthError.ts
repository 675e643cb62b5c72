/** RFC 6749 §5.2 error codes, plus the ones the authorize endpoint uses (§4.1.2.1). */
export type OAuthErrorCode =
  | 'invalid_request'
  | 'invalid_client'
  | 'invalid_grant'
  | 'unauthorized_client'
  | 'unsupported_grant_type'
  | 'invalid_scope'
  | 'unsupported_response_type'
  | 'server_error'
  | 'temporarily_unavailable';

/** A token-endpoint failure; the HTTP layer writes it as `{ error, error_description }`. */
export class OAuthError extends Error {
  readonly code: OAuthErrorCode;
  readonly status: number;
  /** Set for invalid_client when the client tried HTTP Basic (RFC 6749 §5.2 requires the header then). */
  readonly wwwAuthenticate: string | undefined;
  constructor(code: OAuthErrorCode, description: string, options: { status?: number; wwwAuthenticate?: string } = {}) {
    super(description);
    this.name = 'OAuthError';
    this.code = code;
    this.status = options.status ?? (code === 'invalid_client' ? 401 : 400);
    this.wwwAuthenticate = options.wwwAuthenticate;
  }

  toJSON(): { error: OAuthErrorCode; error_description: string } {
    return { error: this.code, error_description: this.message };
  }
}
