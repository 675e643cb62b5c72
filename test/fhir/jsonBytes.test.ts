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
