/** Bad configuration given by the user: a flag, an environment variable or a profile file. */
export class ConfigError extends Error {
  readonly code = 'CONFIG_INVALID';
  /** Where the bad value came from: a file path, "--port", "PATIENTS_SANDBOX_PORT"… */
  readonly source: string;
  constructor(source: string, message: string) {
    super(`${source}: ${message}`);
    this.name = 'ConfigError';
    this.source = source;
  }
}
