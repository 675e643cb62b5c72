/** The small part of json-server 0.17's API the sandbox uses (the package ships no types). */
declare module 'json-server' {
  import type { IncomingMessage, ServerResponse } from 'node:http';

  interface JsonServerResponse extends ServerResponse {
    locals: { data?: unknown };
    status(code: number): JsonServerResponse;
    jsonp(body: unknown): void;
  }

  interface LowChain {
    value(): unknown;
  }

  interface JsonServerRouter {
    (req: IncomingMessage, res: ServerResponse, next: (error?: unknown) => void): void;
    db: { get(name: string): LowChain; getState(): Record<string, unknown> };
    render: (req: IncomingMessage, res: JsonServerResponse) => void;
  }

  interface ExpressApp {
    (req: IncomingMessage, res: ServerResponse): void;
    use(handler: unknown): ExpressApp;
  }

  const jsonServer: {
    create(): ExpressApp;
    router(db: Record<string, unknown>, options?: { foreignKeySuffix?: string }): JsonServerRouter;
  };
  export default jsonServer;
}
