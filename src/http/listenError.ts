/** Why the server could not bind: the operating system refused the address, not a bug in the sandbox. */
export type ListenErrorCode = 'PORT_IN_USE' | 'PORT_NOT_PERMITTED' | 'ADDRESS_NOT_AVAILABLE';

const SYSTEM_CODES: Readonly<Record<string, ListenErrorCode>> = {
  EADDRINUSE: 'PORT_IN_USE',
  EACCES: 'PORT_NOT_PERMITTED',
  EADDRNOTAVAIL: 'ADDRESS_NOT_AVAILABLE',
  ENOTFOUND: 'ADDRESS_NOT_AVAILABLE',
};

export class ListenError extends Error {
  readonly code: ListenErrorCode;
  readonly port: number;
  readonly host: string;

  constructor(code: ListenErrorCode, port: number, host: string, options?: { cause?: unknown }) {
    super(describe(code, port, host), options);
    this.name = 'ListenError';
    this.code = code;
    this.port = port;
    this.host = host;
  }

  /** The ListenError for a failed `server.listen()`, or undefined when the failure is something else. */
  static from(error: unknown, port: number, host: string): ListenError | undefined {
    const systemCode = (error as NodeJS.ErrnoException | undefined)?.code;
    const code = systemCode === undefined ? undefined : SYSTEM_CODES[systemCode];
    return code === undefined ? undefined : new ListenError(code, port, host, { cause: error });
  }
}

function describe(code: ListenErrorCode, port: number, host: string): string {
  switch (code) {
    case 'PORT_IN_USE':
      return `port ${port} on ${host} is already in use: choose another with --port N, or --port 0 for any free port`;
    case 'PORT_NOT_PERMITTED':
      return `port ${port} on ${host} needs privileges this user does not have: choose a port above 1023 with --port N, or --port 0 for any free port`;
    case 'ADDRESS_NOT_AVAILABLE':
      return `cannot listen on ${host}: it is not an address of this machine (set --host, e.g. 127.0.0.1 or 0.0.0.0)`;
  }
}
