/** A signing key file (--signing-key) that cannot be used: unreadable, or not a PKCS#8 PEM EC P-256 key. */
export class SigningKeyError extends Error {
  readonly code = 'SIGNING_KEY_INVALID';
  readonly file: string;

  constructor(file: string, reason: string, options?: { cause?: unknown }) {
    super(`${file}: ${reason}`, options);
    this.name = 'SigningKeyError';
    this.file = file;
  }
}
