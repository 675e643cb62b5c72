import net from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { HTTP_LIMITS } from '../../src/http/httpFraming.js';
import { listen, type RunningServer } from '../../src/http/listen.js';
import { startTestSandbox } from '../support/testSandbox.js';

/**
 * Requests broken at the HTTP level, sent byte for byte over a raw socket to a real port on
 * 127.0.0.1: each gets a short body in its route's format and the right status, and the server
 * keeps serving.
 */
interface RawReply {
  status: number;
  headers: Record<string, string>;
  body: string;
}

let running: RunningServer;
let port: number;

beforeAll(async () => {
  const { sandbox } = await startTestSandbox();
  running = await listen(sandbox.app, 0, '127.0.0.1');
  port = Number(new URL(running.origin).port);
});

afterAll(async () => {
  await running.close(1_000);
});

/** Sends `bytes` in one write and reads until the server closes the connection (or 5 s pass). */
function exchange(bytes: string): Promise<RawReply> {
  return new Promise((resolve, reject) => {
    const socket = net.connect(port, '127.0.0.1', () => socket.write(bytes));
    const chunks: Buffer[] = [];
    const timer = setTimeout(() => socket.destroy(), 5_000);
    socket.on('data', (chunk: Buffer) => chunks.push(chunk));
    socket.on('error', () => undefined);
    socket.on('close', () => {
      clearTimeout(timer);
      const text = Buffer.concat(chunks).toString('utf8');
      const [head = '', ...rest] = text.split('\r\n\r\n');
      const [statusLine = '', ...fields] = head.split('\r\n');
      const status = Number(/^HTTP\/1\.1 (\d{3})/.exec(statusLine)?.[1]);
      if (Number.isNaN(status)) return reject(new Error(`no HTTP answer: ${JSON.stringify(text.slice(0, 200))}`));
      const headers = Object.fromEntries(fields.map((field) => [field.slice(0, field.indexOf(':')).toLowerCase(), field.slice(field.indexOf(':') + 1).trim()]));
      resolve({ status, headers, body: rest.join('\r\n\r\n') });
    });
  });
}

function expectOutcome(reply: RawReply, status: number, version: 'stu3' | 'dstu2', diagnostics: RegExp): void {
  expect(reply.status).toBe(status);
  expect(reply.headers['content-type']).toBe(version === 'stu3' ? 'application/fhir+json; charset=utf-8' : 'application/json+fhir; charset=utf-8');
  const outcome = JSON.parse(reply.body) as { resourceType: string; issue: Array<{ severity: string; diagnostics: string }> };
  expect(outcome.resourceType).toBe('OperationOutcome');
  expect(outcome.issue[0]?.severity).toBe('error');
  expect(outcome.issue[0]?.diagnostics).toMatch(diagnostics);
}

function expectJson(reply: RawReply, status: number, body: Record<string, unknown>): void {
  expect(reply.status).toBe(status);
  expect(reply.headers['content-type']).toBe('application/json; charset=utf-8');
  expect(JSON.parse(reply.body)).toMatchObject(body);
}

describe('broken HTTP framing over a raw socket', () => {
  it('a malformed Content-Length on a FHIR route: 400 OperationOutcome', async () => {
    const reply = await exchange('POST /fhir/stu3/Patient HTTP/1.1\r\nHost: localhost\r\nContent-Type: application/fhir+json\r\nContent-Length: 12x\r\n\r\n{}');
    expectOutcome(reply, 400, 'stu3', /Content-Length/);
    expect(reply.headers['connection']).toBe('close');
  });

  it('a duplicate Content-Length on the token route: 400 RFC 6749 invalid_request', async () => {
    const reply = await exchange('POST /oauth2/token HTTP/1.1\r\nHost: localhost\r\nContent-Type: application/x-www-form-urlencoded\r\nContent-Length: 5\r\nContent-Length: 7\r\n\r\nscope=x');
    expectJson(reply, 400, { error: 'invalid_request', error_description: expect.stringMatching(/Duplicate Content-Length/) });
  });

  it('chunked garbage on a DSTU2 route: 400 in the DSTU2 media type', async () => {
    const reply = await exchange('POST /fhir/dstu2/Patient/_search HTTP/1.1\r\nHost: localhost\r\nContent-Type: application/x-www-form-urlencoded\r\nTransfer-Encoding: chunked\r\n\r\nzz\r\nfamily=chau\r\n0\r\n\r\n');
    expectOutcome(reply, 400, 'dstu2', /chunk/);
  });

  it('no Host on HTTP/1.1: 400 saying so; HTTP/1.0 without Host is served', async () => {
    expectOutcome(await exchange('GET /fhir/stu3/metadata HTTP/1.1\r\n\r\n'), 400, 'stu3', /Host header/);
    expectJson(await exchange('GET /admin/tenants HTTP/1.1\r\nConnection: close\r\n\r\n'), 400, { error: 'bad-request', message: expect.stringMatching(/Host/) });
    const old = await exchange('GET /healthz HTTP/1.0\r\n\r\n');
    expect(old.status).toBe(200);
  });

  it('headers past the limit: 431 naming it', async () => {
    const reply = await exchange(`GET /fhir/stu3/metadata HTTP/1.1\r\nHost: localhost\r\nX-Padding: ${'a'.repeat(HTTP_LIMITS.maxHeaderBytes)}\r\n\r\n`);
    expectOutcome(reply, 431, 'stu3', new RegExp(`at most ${HTTP_LIMITS.maxHeaderBytes} bytes`));
  });

  it('a URL past its limit: 414 naming it, whether or not the headers still fit', async () => {
    const query = (bytes: number) => `?family=${'a'.repeat(bytes)}`;
    const fits = await exchange(`GET /fhir/stu3/Patient${query(HTTP_LIMITS.maxUrlBytes)} HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n`);
    expectOutcome(fits, 414, 'stu3', new RegExp(`at most ${HTTP_LIMITS.maxUrlBytes}`));
    const overflows = await exchange(`GET /fhir/dstu2/Patient${query(2 * HTTP_LIMITS.maxHeaderBytes)} HTTP/1.1\r\nHost: localhost\r\n\r\n`);
    expectOutcome(overflows, 414, 'dstu2', new RegExp(`at most ${HTTP_LIMITS.maxUrlBytes}`));
  });

  it('something that is not HTTP at all: 400 JSON', async () => {
    expectJson(await exchange('HELLO THERE\r\n\r\n'), 400, { error: 'bad-request', message: expect.stringMatching(/not valid HTTP/) });
  });

  it('keeps serving afterwards', async () => {
    const reply = await exchange('GET /healthz HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n');
    expect(reply.status).toBe(200);
  });
});
