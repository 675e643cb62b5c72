import { createServer, request as httpRequest, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Readable } from 'node:stream';
import { gzipSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readRequestBody } from '../../src/http/readRequestBody.js';
import { readTokenForm } from '../../src/http/tokenForm.js';

/**
 * The request body reader on its direct path (no Content-Encoding, or `identity`): every refusal
 * co-body gave on that path, with its status and message, and the bytes read right however the
 * client's chunks fall. Streams stand in for requests; the abort is a real one on a real socket.
 */

/** A request whose body arrives in these chunks, with these headers. */
function request(chunks: ReadonlyArray<string | Buffer>, headers: Record<string, string> = {}): IncomingMessage {
  const stream = Readable.from(chunks.map((chunk) => (typeof chunk === 'string' ? Buffer.from(chunk) : chunk))) as unknown as IncomingMessage;
  stream.headers = headers;
  return stream;
}

/** `bytes` cut into pieces of `size` bytes (a multi-byte character is cut wherever a boundary falls). */
function pieces(bytes: Buffer, size: number): Buffer[] {
  const out: Buffer[] = [];
  for (let at = 0; at < bytes.length; at += size) out.push(bytes.subarray(at, at + size));
  return out;
}

const refusal = (promise: Promise<unknown>) => promise.then(() => undefined, (error: unknown) => error);

describe('readRequestBody, identity-encoded', () => {
  it('joins many chunks, with multi-byte UTF-8 characters cut across their boundaries', async () => {
    const text = 'name=Zoë Ångström 😀 ' + 'Ñ€'.repeat(500);
    const bytes = Buffer.from(text);
    for (const size of [1, 2, 3, 5, 7, 64]) {
      expect(await readRequestBody(request(pieces(bytes, size), { 'content-length': String(bytes.length) }), 'text', { limit: 1 << 20 })).toBe(text);
    }
    const json = { resourceType: 'Bundle', type: 'batch', entry: [{ request: { method: 'GET', url: 'Patient?family=Müller&given=😀' } }] };
    const jsonBytes = Buffer.from(JSON.stringify(json));
    expect(await readRequestBody(request(pieces(jsonBytes, 3)), 'json', { limit: 1 << 20 })).toEqual(json);
  });

  it('reads a body whose Content-Encoding says identity, and drops a leading byte order mark as the UTF-8 decoder did', async () => {
    expect(await readRequestBody(request(['a=1'], { 'content-encoding': 'identity' }), 'text', { limit: 100 })).toBe('a=1');
    const withBom = Buffer.concat([Buffer.from([0xef, 0xbb]), Buffer.from([0xbf]), Buffer.from('{"resourceType":"Bundle"}')]);
    expect(await readRequestBody(request(pieces(withBom, 1)), 'json', { limit: 100 })).toEqual({ resourceType: 'Bundle' });
    expect(await readRequestBody(request([Buffer.from('\ufeffa=1')]), 'text', { limit: 100 })).toBe('a=1');
  });

  it('replaces bytes that are not UTF-8 as the decoder did', async () => {
    const bytes = Buffer.from([0x61, 0xc3, 0x28, 0xf0, 0x9f, 0x98, 0x62]);
    expect(await readRequestBody(request(pieces(bytes, 1)), 'text', { limit: 100 })).toBe(bytes.toString('utf8'));
  });

  it('refuses a declared Content-Length past the limit with 413 and the limit, before reading', async () => {
    const body = request(['x'.repeat(10)], { 'content-length': '101' });
    const refused = await refusal(readRequestBody(body, 'text', { limit: 100 }));
    expect(refused).toMatchObject({ status: 413, message: 'request entity too large', limit: 100, type: 'entity.too.large' });
    expect(body.readableFlowing).not.toBe(true);
  });

  it('refuses a body that grows past the limit over many chunks with 413 and the limit', async () => {
    const chunks = Array.from({ length: 30 }, () => 'abcd');
    expect(await readRequestBody(request(chunks), 'text', { limit: 120 })).toBe('abcd'.repeat(30));
    const refused = await refusal(readRequestBody(request(chunks), 'text', { limit: 119 }));
    expect(refused).toMatchObject({ status: 413, message: 'request entity too large', limit: 119, type: 'entity.too.large' });
  });

  it('refuses a body shorter or longer than its Content-Length with 400', async () => {
    for (const declared of ['9', '11']) {
      const refused = await refusal(readRequestBody(request(['12345', '67890'], { 'content-length': declared }), 'text', { limit: 100 }));
      expect(refused).toMatchObject({ status: 400, message: 'request size did not match content length', type: 'request.size.invalid', received: 10 });
    }
  });

  it('takes an empty JSON body as {} and refuses JSON that is not an object or an array, or does not parse, with 400', async () => {
    expect(await readRequestBody(request([]), 'json', { limit: 100 })).toEqual({});
    expect(await readRequestBody(request([' \n\t[1,', '2]']), 'json', { limit: 100 })).toEqual([1, 2]);
    for (const text of ['"Bundle"', '12', 'null', '  true', ' x{}']) {
      expect(await refusal(readRequestBody(request([text]), 'json', { limit: 100 }))).toMatchObject({ status: 400, message: 'invalid JSON, only supports object and array' });
    }
    const broken = await refusal(readRequestBody(request(['{"resourceType":']), 'json', { limit: 100 }));
    expect(broken).toBeInstanceOf(SyntaxError);
    expect(broken).toMatchObject({ status: 400, message: expect.stringMatching(/JSON/) });
  });

  it('refuses an own __proto__ key anywhere, plain or escaped, with 400, and takes the word as a value', async () => {
    const poisoned = [
      '{"__proto__":{"admin":true}}',
      '{"entry":[{"request":{"url":"x"}},{"resource":{"__proto__":{"x":1}}}]}',
      '{"a":{"\\u005f_proto__":{"x":1}}}',
      '[{"b":[{"__pro\\u0074o__":null}]}]',
    ];
    for (const text of poisoned) {
      expect(await refusal(readRequestBody(request(pieces(Buffer.from(text), 4)), 'json', { limit: 1000 }))).toMatchObject({
        status: 400,
        message: 'Object contains forbidden prototype property',
      });
    }
    expect(await readRequestBody(request(['{"note":"__proto__","text":"caf\\u00e9"}']), 'json', { limit: 1000 })).toEqual({ note: '__proto__', text: 'café' });
  });

  it('answers 400 when the stream fails or closes before its end', async () => {
    const failing = new Readable({ read() {} }) as unknown as IncomingMessage;
    failing.headers = {};
    const failed = refusal(readRequestBody(failing, 'text', { limit: 100 }));
    failing.push('a=');
    failing.destroy(new Error('socket hang up'));
    expect(await failed).toMatchObject({ status: 400, message: expect.stringMatching(/Content-Encoding identity: socket hang up/) });
    const closing = new Readable({ read() {} }) as unknown as IncomingMessage;
    closing.headers = {};
    const closed = refusal(readRequestBody(closing, 'text', { limit: 100 }));
    closing.push('a=');
    closing.destroy();
    expect(await closed).toMatchObject({ status: 400, message: 'request aborted', type: 'request.aborted' });
  });

  it('still reads gzip through co-body and refuses an encoding spelled otherwise with 415', async () => {
    expect(await readRequestBody(request([gzipSync('a=1')], { 'content-encoding': 'gzip' }), 'text', { limit: 100 })).toBe('a=1');
    expect(await refusal(readRequestBody(request(['a=1'], { 'content-encoding': 'Identity' }), 'text', { limit: 100 }))).toMatchObject({ status: 415 });
  });

  it('gives the token form the same reader: fields split across chunks', async () => {
    const form = Buffer.from('grant_type=client_credentials&scope=caf%C3%A9+%F0%9F%98%80&client_id=dëmo');
    const fields = await readTokenForm(request(pieces(form, 2), { 'content-type': 'application/x-www-form-urlencoded', 'content-length': String(form.length) }));
    expect(fields).toEqual({ grant_type: 'client_credentials', scope: 'café 😀', client_id: 'dëmo' });
  });
});

describe('readRequestBody on a real socket', () => {
  let server: Server;
  let port: number;
  const outcomes: Array<Promise<unknown>> = [];

  beforeAll(async () => {
    server = createServer((req, res) => {
      const outcome = readRequestBody(req, 'json', { limit: 1 << 16 });
      outcomes.push(outcome.catch((error: unknown) => error));
      outcome.then(
        (body) => res.end(JSON.stringify(body)),
        () => res.end(),
      );
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    port = (server.address() as AddressInfo).port;
  });

  afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

  it('reads a body written in many small writes', async () => {
    const body = Buffer.from(JSON.stringify({ resourceType: 'Bundle', note: 'é😀'.repeat(200) }));
    const answer = await new Promise<string>((resolve, reject) => {
      const client = httpRequest({ port, host: '127.0.0.1', method: 'POST', headers: { 'Content-Length': body.length } }, (res) => {
        let text = '';
        res.setEncoding('utf8').on('data', (chunk: string) => (text += chunk)).on('end', () => resolve(text));
      });
      client.on('error', reject);
      for (const piece of pieces(body, 7)) client.write(piece);
      client.end();
    });
    expect(JSON.parse(answer)).toEqual(JSON.parse(body.toString()));
  });

  it('answers a client that aborts mid-body with 400 request aborted', async () => {
    const before = outcomes.length;
    const client = httpRequest({ port, host: '127.0.0.1', method: 'POST', headers: { 'Content-Length': 1000 } });
    client.on('error', () => undefined);
    client.write('{"resourceType":');
    while (outcomes.length === before) await new Promise((resolve) => setImmediate(resolve));
    client.destroy();
    expect(await outcomes[before]).toMatchObject({ status: 400, message: 'request aborted', type: 'request.aborted' });
  });
});
