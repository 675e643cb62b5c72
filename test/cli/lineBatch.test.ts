import { describe, expect, it } from 'vitest';
import { lineBatch } from '../../src/cli/lineBatch.js';

function collecting(batchBytes: number) {
  const writes: Buffer[] = [];
  return { writes, batch: lineBatch((bytes) => writes.push(bytes), batchBytes) };
}

describe('lineBatch', () => {
  it('writes the lines, pieces and bytes alike, as their UTF-8 in order, each batch whole lines', () => {
    const { writes, batch } = collecting(64);
    const expected: string[] = [];
    for (let index = 0; index < 200; index++) {
      const line = `{"n":${index},"name":"Zoë ${'é'.repeat(index % 7)}","icon":"🩺"}\n`;
      expected.push(line);
      if (index % 2 === 0) {
        batch.append(line);
        continue;
      }
      const [head, tail] = [line.slice(0, 9), line.slice(9)];
      batch.bytes(Buffer.from(head));
      batch.text(tail);
      batch.endLine();
    }
    batch.flush();
    expect(Buffer.concat(writes).equals(Buffer.from(expected.join('')))).toBe(true);
    expect(writes.length).toBeGreaterThan(10);
    for (const write of writes) {
      const text = write.toString();
      expect(text.endsWith('\n')).toBe(true);
      for (const line of text.trimEnd().split('\n')) expect(() => JSON.parse(line) as unknown).not.toThrow();
    }
  });

  it('keeps a line longer than its buffer whole, and the lines around it', () => {
    const { writes, batch } = collecting(16);
    const long = `${'x'.repeat(1000)}\n`;
    batch.append('first\n');
    batch.text('x'.repeat(500));
    batch.bytes(Buffer.from('x'.repeat(500)));
    batch.text('\n');
    batch.endLine();
    batch.append('last\n');
    batch.flush();
    expect(writes.map((write) => write.toString())).toEqual(['first\n', long, 'last\n']);
  });

  it('hands each batch as a buffer of its own, untouched by later lines', () => {
    const { writes, batch } = collecting(4);
    batch.append('one\n');
    batch.append('two\n');
    batch.flush();
    expect(writes.map((write) => write.toString())).toEqual(['one\n', 'two\n']);
  });

  it('writes nothing until a line ends, and nothing for an empty flush', () => {
    const { writes, batch } = collecting(4);
    batch.flush();
    batch.text('unfinished');
    batch.flush();
    expect(writes).toEqual([]);
    batch.text('\n');
    batch.endLine();
    expect(writes.map((write) => write.toString())).toEqual(['unfinished\n']);
  });

  it('writes numbers as String() does: durations in hundredths, instants, and anything else', () => {
    const { writes, batch } = collecting(1 << 20);
    const values = [0, -0, 1, 7.5, 0.05, 0.1, 0.29, 12.34, 99.99, 100, 1234.5, 1_796_100_000_000, 1_796_099_999_988.25, 9_999_999_999_999.99, 1e13, 1e15, 1e21, 0.123, 1e-7, -1.5, -3, Number.NaN, Infinity, 2 ** 53];
    for (let index = 0; index < 2000; index++) values.push(Math.round(Math.random() * 10 ** (index % 9)) / 100, Math.random() * 1000);
    for (const value of values) {
      batch.number(value);
      batch.text('\n');
      batch.endLine();
    }
    batch.flush();
    expect(Buffer.concat(writes).toString().split('\n').slice(0, -1)).toEqual(values.map(String));
  });
});
