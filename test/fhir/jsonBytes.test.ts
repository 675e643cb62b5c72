import { describe, expect, it } from 'vitest';
import { JsonArena, ownJson } from '../../src/fhir/store/jsonArena.js';
import type { JsonSpan } from '../../src/fhir/store/jsonArena.js';
import { StoredRecord } from '../../src/fhir/store/storedRecord.js';
import { JsonBytesBuilder } from '../../src/fhir/text/jsonBytesBuilder.js';

function textOf(span: JsonSpan): string {
  return span.bytes.toString('utf8', span.start, span.end);
}

describe('JsonArena', () => {
  it('keeps every text intact across chunk boundaries, multi-byte characters included', () => {
    const arena = new JsonArena();
    const texts = Array.from({ length: 3000 }, (_, i) => JSON.stringify({ i, name: `Zoë Ñúñez 漢字 😀 ${'x'.repeat(i % 97)}` }));
    const spans = texts.map((text) => arena.append(text));
    expect(spans.map(textOf)).toEqual(texts);
    expect(new Set(spans.map((span) => span.bytes)).size).toBeGreaterThan(1);
  });

  it('takes a text larger than any chunk', () => {
    const arena = new JsonArena();
    const large = JSON.stringify({ text: 'é'.repeat(9 * 1024 * 1024) });
    arena.append('{}');
    expect(textOf(arena.append(large))).toBe(large);
    expect(textOf(arena.append('{"after":true}'))).toBe('{"after":true}');
  });

  it('gives an edit an exact-size buffer of its own', () => {
    const span = ownJson('{"name":"Zoë"}');
    expect(span.bytes.length).toBe(Buffer.byteLength('{"name":"Zoë"}'));
    expect(textOf(span)).toBe('{"name":"Zoë"}');
  });
});

describe('JsonBytesBuilder', () => {
  it('joins text, buffers and stored records into one exact buffer', () => {
    const arena = new JsonArena();
    arena.append('{"skip":1}');
    const record = new StoredRecord(0, 'a', arena.append('{"id":"a","name":"Zoë"}'), 1, 0);
    const body = new JsonBytesBuilder().text('{"entry":[').bytes(record).text(',').bytes(Buffer.from('{"b":"ü"}')).text(']}').toBuffer();
    expect(body.toString()).toBe('{"entry":[{"id":"a","name":"Zoë"},{"b":"ü"}]}');
    expect(body.length).toBe(Buffer.byteLength(body.toString()));
  });

  it('builds text alone', () => {
    expect(new JsonBytesBuilder().text('{').text('}').toBuffer().toString()).toBe('{}');
    expect(new JsonBytesBuilder().toBuffer().length).toBe(0);
  });
});

describe('JsonBytesBuilder.ascii', () => {
  it('writes ASCII text byte for byte between other parts, growing the buffer as needed', () => {
    const id = 'a'.repeat(40);
    const builder = new JsonBytesBuilder(8).text('{"id":"');
    for (let i = 0; i < 100; i++) builder.ascii(id).text('-');
    const body = builder.text('"}').toBuffer().toString();
    expect(body).toBe(`{"id":"${`${id}-`.repeat(100)}"}`);
  });
});

describe('JsonBytesBuilder with long texts', () => {
  it('keeps short and long texts, records and buffers in order, multi-byte text included, in a small buffer that grows or one sized exactly', () => {
    const arena = new JsonArena();
    const record = new StoredRecord(0, 'a', arena.append('{"id":"a","name":"Zoë"}'), 1, 0);
    const long = (n: number) => `{"link":"${'ü😀x'.repeat(n)}"}`;
    const pieces: Array<string | StoredRecord | Buffer> = ['[', long(200), ',', record, ',', long(90), long(1), ',', Buffer.from('{"b":"ü"}'), ',', long(300), ']'];
    const expected = pieces.map((piece) => (typeof piece === 'string' ? piece : piece instanceof StoredRecord ? piece.text() : piece.toString())).join('');
    for (const capacity of [4, Buffer.byteLength(expected)]) {
      const builder = new JsonBytesBuilder(capacity);
      for (const piece of pieces) {
        if (typeof piece === 'string') builder.text(piece);
        else builder.bytes(piece);
      }
      const body = builder.toBuffer();
      expect(body.toString()).toBe(expected);
      expect(body.length).toBe(Buffer.byteLength(expected));
    }
  });
});

describe('JsonBytesBuilder.keyedBytes', () => {
  it('writes a lead, an ASCII id, a key and a record after pending text, growing the buffer as needed', () => {
    const arena = new JsonArena();
    const record = new StoredRecord(0, 'pat-1', arena.append('{"id":"pat-1","name":"Zoë"}'), 1, 0);
    const lead = Buffer.from('{"fullUrl":"http://h/fhir/Patient/');
    const key = Buffer.from('","resource":');
    for (const capacity of [4, 4096]) {
      const builder = new JsonBytesBuilder(capacity).text('[');
      for (let i = 0; i < 30; i++) builder.keyedBytes(lead, 'pat-1', key, record).text('},');
      const body = builder.text('{}]').toBuffer().toString();
      expect(body).toBe(`[${'{"fullUrl":"http://h/fhir/Patient/pat-1","resource":{"id":"pat-1","name":"Zoë"}},'.repeat(30)}{}]`);
    }
  });
});
