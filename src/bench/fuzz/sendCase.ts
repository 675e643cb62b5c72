import { request, type Agent } from 'node:http';
import { connect } from 'node:net';
import type { FuzzAnswer, FuzzCase } from './fuzzCase.js';

/** Sends one case to 127.0.0.1:port; undefined when Node's own client refuses to send it (an unsendable header or path). */
export function sendCase(port: number, agent: Agent, fuzzCase: FuzzCase, timeoutMs: number): Promise<FuzzAnswer | undefined> {
  return fuzzCase.raw === undefined ? sendHttp(port, agent, fuzzCase, timeoutMs) : sendRaw(port, fuzzCase.raw, timeoutMs);
}

function sendHttp(port: number, agent: Agent, fuzzCase: FuzzCase, timeoutMs: number): Promise<FuzzAnswer | undefined> {
  return new Promise((resolve) => {
    let settled = false;
    const settle = (answer: FuzzAnswer | undefined) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      resolve(answer);
    };
    const timer = setTimeout(() => {
      settle({ status: 'timeout', headers: {}, body: Buffer.alloc(0) });
      outgoing?.destroy();
    }, timeoutMs);
    let outgoing: ReturnType<typeof request> | undefined;
    try {
      // Node's client frames a GET or DELETE body with neither Content-Length nor chunking: say the length.
      const headers = fuzzCase.body === undefined ? fuzzCase.headers : { 'Content-Length': String(Buffer.byteLength(fuzzCase.body)), ...fuzzCase.headers };
      outgoing = request({ host: '127.0.0.1', port, method: fuzzCase.method, path: fuzzCase.path, headers, agent }, (response) => {
        const chunks: Buffer[] = [];
        response.on('data', (chunk: Buffer) => chunks.push(chunk));
        response.on('end', () => settle({ status: response.statusCode ?? 0, headers: response.headers, body: Buffer.concat(chunks) }));
        response.on('error', () => settle({ status: 'reset', headers: response.headers, body: Buffer.concat(chunks) }));
        response.on('aborted', () => settle({ status: 'reset', headers: response.headers, body: Buffer.concat(chunks) }));
      });
    } catch {
      settle(undefined);
      return;
    }
    outgoing.on('error', () => settle({ status: 'reset', headers: {}, body: Buffer.alloc(0) }));
    outgoing.end(fuzzCase.body);
  });
}

/** Writes the bytes, half-closes, and reads whatever comes back until the server closes. */
function sendRaw(port: number, raw: Buffer, timeoutMs: number): Promise<FuzzAnswer> {
  return new Promise((resolve) => {
    const chunks: Buffer[] = [];
    const socket = connect({ host: '127.0.0.1', port });
    let settled = false;
    const finish = (timedOut: boolean) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      socket.destroy();
      const body = Buffer.concat(chunks);
      const status = /^HTTP\/1\.[01] (\d{3})/.exec(body.toString('latin1', 0, 20))?.[1];
      resolve({ status: timedOut ? 'timeout' : status === undefined ? 'reset' : Number(status), headers: {}, body });
    };
    const timer = setTimeout(() => finish(true), timeoutMs);
    socket.on('data', (chunk: Buffer) => chunks.push(chunk));
    socket.on('close', () => finish(false));
    socket.on('error', () => finish(false));
    socket.end(raw);
  });
}
