import { SigningKeyError } from '../auth/signingKeyError.js';
import { ConfigError } from '../config/configError.js';
import { DbJsonError } from '../data/files/dbJson.js';
import { FixtureError } from '../data/errors.js';
import { ListenError } from '../http/listenError.js';

/**
 * The one-line message for a mistake the user can fix (a flag, a profile, a fixture or data file, a port
 * that is taken, a signing key file), or undefined for anything else: a bug, which deserves its stack trace.
 */
export function userErrorMessage(error: unknown): string | undefined {
  const isUserError =
    error instanceof ConfigError ||
    error instanceof ListenError ||
    error instanceof DbJsonError ||
    error instanceof FixtureError ||
    error instanceof SigningKeyError;
  return isUserError ? error.message : undefined;
}
