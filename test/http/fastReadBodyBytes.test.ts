import { connect } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createHttpApp } from '../../src/http/app.js';
import { listen, type RunningServer } from '../../src/http/listen.js';
import type { Sandbox } from '../../src/sandbox.js';
import { STU3_TENANT, startTestSandbox, testAppOptions, type TestSandbox } from '../support/testSandbox.js';

/**
 * The fast read's answer on the wire, head and body, must be the Koa path's byte for byte for a
 * stored resource with characters outside ASCII too: each is read over a plain socket and compared.
 */

const HOST = 'sandbox.test:8080';
// Two-, three- and four-byte UTF-8, and characters whose bytes include 0x80–0xFF in every position.
const NAME = 'Zoë Ærøskøbing 中文 😀 ÿ\u0080';

describe('the fast read sends the stored bytes', () => {
  let t: TestSandbox;
  let token: string;
  const servers: RunningServer[] = [];
  /** Paths of the requests that reached Koa, in either app. */
  const koaSaw: string[] = [];

  beforeAll(async () => {
    t = await startTestSandbox();
    token = await t.token(STU3_TENANT);
    const put = await t.http
      .put('/fhir/stu3/Patient/wide-name')
      .set('Authorization', `Bearer ${token}`)
      .set('Content-Type', 'application/fhir+json')
      .send(JSON.stringify({ resourceType: 'Patient', id: 'wide-name', name: [{ family: NAME }] }));
    expect(put.status).toBe(201);
    await t.sandbox.auth.verify(token);
  });

  afterAll(async () => {
    await Promise.all(servers.map((server) => server.close(0)));
  });

  async function serve(sandbox: Sandbox, fastRead: boolean): Promise<RunningServer> {
    const app = createHttpApp(testAppOptions(sandbox, { fastRead }));
    app.middleware.unshift((ctx, next) => {
      koaSaw.push(ctx.path);
      return next();
    });
    const server = await listen(app, 0, '127.0.0.1');
    servers.push(server);
    return server;
  }

  /** The raw bytes of one answer to a GET sent over a new socket that asks to be closed after it. */
  function rawAnswer(server: RunningServer, path: string): Promise<Buffer> {
    const { hostname, port } = new URL(server.origin);
    return new Promise((resolve, reject) => {
      const socket = connect(Number(port), hostname);
      const chunks: Buffer[] = [];
      socket.on('data', (chunk: Buffer) => chunks.push(chunk));
      socket.on('end', () => resolve(Buffer.concat(chunks)));
      socket.on('error', reject);
      socket.end(`GET ${path} HTTP/1.1\r\nHost: ${HOST}\r\nAuthorization: Bearer ${token}\r\nConnection: close\r\n\r\n`);
    });
  }

  const withoutDate = (raw: Buffer) => Buffer.from(raw.toString('latin1').replace(/\r\nDate: [^\r]*\r\n/, '\r\nDate: (date)\r\n'), 'latin1');

  it('sends the same bytes as the Koa path for a body outside ASCII', async () => {
    const fast = await serve(t.sandbox, true);
    const koa = await serve(t.sandbox, false);
    const fastAnswer = withoutDate(await rawAnswer(fast, '/fhir/stu3/Patient/wide-name'));
    expect(koaSaw).toEqual([]);
    const koaAnswer = withoutDate(await rawAnswer(koa, '/fhir/stu3/Patient/wide-name'));
    expect(fastAnswer.equals(koaAnswer)).toBe(true);
    const body = fastAnswer.subarray(fastAnswer.indexOf('\r\n\r\n') + 4);
    expect((JSON.parse(body.toString('utf8')) as { name: Array<{ family: string }> }).name[0]?.family).toBe(NAME);
    expect(fastAnswer.toString('latin1')).toContain(`\r\nContent-Length: ${body.length}\r\n`);
  });
});
