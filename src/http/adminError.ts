/** A control-plane request the admin API refuses; written as `{ error, message, field? }`. */
export class AdminError extends Error {
  readonly code: string;
  readonly status: number;
  /** The offending field of the request body, when there is one. */
  readonly field: string | undefined;
  constructor(status: number, code: string, message: string, field?: string) {
    super(message);
    this.name = 'AdminError';
    this.status = status;
    this.code = code;
    this.field = field;
  }
}
