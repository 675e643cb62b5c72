/** The small part of json-server 0.17's API the sandbox uses (the package ships no types). */
declare module 'json-server' {
  import type { IncomingMessage, ServerResponse } from 'node:http';

  interface JsonServerResponse extends ServerResponse {
    locals: { data?: unknown };
    status(code: number): JsonServerResponse;
    json(body: unknown): void;
  }

  interface LowChain {
    value(): unknown;
  }

  /** One of an Express router's middlewares; error handlers take four arguments. */
  interface ExpressLayer {
    handle: (...args: never[]) => unknown;
  }

  interface JsonServerRouter {
    (req: IncomingMessage, res: ServerResponse, next: (error?: unknown) => void): void;
    db: { get(name: string): LowChain; getState(): Record<string, unknown> };
    render: (req: IncomingMessage, res: JsonServerResponse) => void;
    stack: ExpressLayer[];
  }

  interface ExpressApp {
    /** `done` gets what no middleware handled: an error, or nothing when no route matched. */
    (req: IncomingMessage, res: ServerResponse, done: (error?: unknown) => void): void;
    use(path: string, handler: unknown): ExpressApp;
    disable(setting: string): ExpressApp;
  }

  const jsonServer: {
    create(): ExpressApp;
    router(db: Record<string, unknown>, options?: { foreignKeySuffix?: string }): JsonServerRouter;
  };
  export default jsonServer;
}
