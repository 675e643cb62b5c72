import net from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { listen, type RunningServer } from '../../src/http/listen.js';
import { startTestSandbox } from '../support/testSandbox.js';

/**
 * A request Node cannot parse, arriving on a connection that already carried a request: it gets its
 * short error answer once the answer before it is complete, and none while that answer is still
 * being written (it would land inside it), where the connection is closed instead.
 */
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

const GARBAGE = 'HELLO THERE\r\n\r\n';

/** Sends `first`; once the received text satisfies `ready`, sends GARBAGE; resolves with everything received when the server closes. */
function afterFirstAnswer(first: string, ready: (received: string) => boolean): Promise<string> {
  return new Promise((resolve) => {
    let received = '';
    let sent = false;
    const socket = net.connect(port, '127.0.0.1', () => socket.write(first));
    const timer = setTimeout(() => socket.destroy(), 5_000);
    socket.on('data', (chunk: Buffer) => {
      received += chunk.toString('latin1');
      if (!sent && ready(received)) {
        sent = true;
        socket.write(GARBAGE);
      }
    });
    socket.on('error', () => undefined);
    socket.on('close', () => {
      clearTimeout(timer);
      resolve(received);
    });
  });
}

describe('a malformed request after another on the same connection', () => {
  it('is answered with its 400 after a finished answer', async () => {
    const received = await afterFirstAnswer('GET /healthz HTTP/1.1\r\nHost: localhost\r\n\r\n', (text) => {
      const head = text.indexOf('\r\n\r\n');
      const length = /content-length: (\d+)/i.exec(text)?.[1];
      return head >= 0 && length !== undefined && text.length >= head + 4 + Number(length);
    });
    const statuses = [...received.matchAll(/HTTP\/1\.1 (\d{3}) /g)].map((match) => match[1]);
    expect(statuses).toEqual(['200', '400']);
    expect(received).toMatch(/not valid HTTP/);
  });

  it('closes the connection without an answer of its own while the answer before it is still open', async () => {
    const received = await afterFirstAnswer('GET /admin/events HTTP/1.1\r\nHost: localhost\r\n\r\n', (text) => text.includes('\r\n\r\n'));
    const statuses = [...received.matchAll(/HTTP\/1\.1 (\d{3}) /g)].map((match) => match[1]);
    expect(statuses).toEqual(['200']);
    expect(received).toMatch(/text\/event-stream/);
    expect(received).not.toMatch(/not valid HTTP/);
  });
});
