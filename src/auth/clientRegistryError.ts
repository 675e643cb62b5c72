export type RegistryErrorCode =
  | 'client-exists'
  | 'client-not-found'
  | 'secret-not-found'
  | 'too-many-secrets'
  | 'last-secret'
  | 'invalid-key'
  | 'key-exists'
  | 'key-not-found'
  | 'too-many-keys'
  | 'last-credential'
  | 'no-jwks-url'
  | 'invalid-scope';

/** A registration change the registry refuses; `code` is stable for callers to narrow on. */
export class ClientRegistryError extends Error {
  readonly code: RegistryErrorCode;
  constructor(code: RegistryErrorCode, message: string) {
    super(message);
    this.name = 'ClientRegistryError';
    this.code = code;
  }
}
