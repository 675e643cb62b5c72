/** Errors of the data module. Each has a stable `code` to switch on and the data a caller needs. */

/** A fixture file that cannot be used: unreadable, not JSON, or a field that breaks the format. */
export class FixtureError extends Error {
  readonly code = 'FIXTURE_INVALID';
  readonly file: string;
  /** Dotted path of the offending field ("name.given.0"); empty when the whole file is at fault. */
  readonly field: string;
  /** What is wrong, without file and field. */
  readonly reason: string;

  constructor(file: string, field: string, reason: string, options?: { cause?: unknown }) {
    super(`${file}: ${field === '' ? '' : `${field}: `}${reason}`, options);
    this.name = 'FixtureError';
    this.file = file;
    this.field = field;
    this.reason = reason;
  }
}
