import { Readable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { BaseUrlRewriter } from '../../src/upstream/baseUrlRewriter.js';

const rewriter = new BaseUrlRewriter([{ from: 'http://up.test/fhir', to: 'http://sandbox.test/fhir/r4' }]);

async function throughStream(text: string, chunkSize: number): Promise<string> {
  const chunks: Buffer[] = [];
  const bytes = Buffer.from(text);
  for (let at = 0; at < bytes.length; at += chunkSize) chunks.push(bytes.subarray(at, at + chunkSize));
  const out: Buffer[] = [];
  for await (const chunk of Readable.from(chunks).pipe(rewriter.stream())) out.push(chunk as Buffer);
  return Buffer.concat(out).toString('utf8');
}

describe('BaseUrlRewriter', () => {
  const body = '{"fullUrl":"http://up.test/fhir/Patient/1","link":[{"url":"http://up.test/fhir?_getpages=x"}],"escaped":"http:\\/\\/up.test\\/fhir\\/Patient\\/2","other":"http://up.test/fhir2/Patient/3","end":"http://up.test/fhir"}';
  const expected = '{"fullUrl":"http://sandbox.test/fhir/r4/Patient/1","link":[{"url":"http://sandbox.test/fhir/r4?_getpages=x"}],"escaped":"http:\\/\\/sandbox.test\\/fhir\\/r4\\/Patient\\/2","other":"http://up.test/fhir2/Patient/3","end":"http://sandbox.test/fhir/r4"}';

  it('rewrites the base where it ends (path, query, end of string), in plain and JSON-escaped spelling, and leaves a longer base alone', () => {
    expect(rewriter.rewrite(body)).toBe(expected);
  });

  it('gives the same bytes as a stream whatever the chunk boundaries, a base split across chunks included', async () => {
    for (const size of [1, 2, 3, 7, 16, 19, 64, 1000]) expect(await throughStream(body, size), `chunks of ${size}`).toBe(expected);
  });
});
