/** Errors that end a check run before it can report: the CLI exits 2 on both. */

/** The options cannot make a run: a malformed URL, flags that exclude each other, a flag not supported yet. */
export class CheckUsageError extends Error {
  readonly code = 'ERR_CHECK_USAGE';
  readonly option: string;

  constructor(option: string, message: string) {
    super(`${option}: ${message}`);
    this.name = 'CheckUsageError';
    this.option = option;
  }
}

/** The first request got no answer at all: there is nothing to check. */
export class CheckTargetUnreachable extends Error {
  readonly code = 'ERR_CHECK_UNREACHABLE';
  readonly url: string;
  readonly why: string;

  constructor(url: string, why: string) {
    super(`cannot reach ${url}: ${why}`);
    this.name = 'CheckTargetUnreachable';
    this.url = url;
    this.why = why;
  }
}
