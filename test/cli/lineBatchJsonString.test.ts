import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { lineBatch } from '../../src/cli/lineBatch.js';
import { jsonString } from '../../src/lib/jsonString.js';

/** The bytes `pieces` make as JSON strings on one line each, through a batch of `batchBytes`. */
function written(pieces: readonly string[], batchBytes: number): Buffer {
  const writes: Buffer[] = [];
  const batch = lineBatch((bytes) => writes.push(bytes), batchBytes);
  for (const piece of pieces) {
    batch.text('{"id":');
    batch.jsonString(piece);
    batch.text('}');
    batch.endLine();
  }
  batch.flush();
  return Buffer.concat(writes);
}

const expected = (pieces: readonly string[]) => Buffer.from(pieces.map((piece) => `{"id":${jsonString(piece)}}`).join(''));

describe('lineBatch.jsonString', () => {
  it.each(['r1', '', 'with "quotes"', 'back\\slash', 'tab\there', 'line\nbreak', '\u007f', 'Zoë', '🩺', '\u2028', '\ud800 lone', 'x'.repeat(64), 'x'.repeat(65), `${'x'.repeat(70)}"`])(
    'writes %j as jsonString does',
    (piece) => {
      expect(written([piece], 16).toString()).toBe(expected([piece]).toString());
    },
  );

  it('writes any text as jsonString does, across batch ends', () => {
    fc.assert(
      fc.property(fc.array(fc.oneof(fc.string({ maxLength: 80 }), fc.string({ unit: 'binary', maxLength: 20 }), fc.stringMatching(/^r[0-9a-z]{1,8}$/)), { maxLength: 30 }), fc.integer({ min: 1, max: 200 }), (pieces, batchBytes) => {
        expect(written(pieces, batchBytes).equals(expected(pieces))).toBe(true);
      }),
      { numRuns: 2_000 },
    );
  });
});
