import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { jsonStringContent } from '../../src/lib/jsonString.js';

const asJson = (text: string): string => JSON.stringify(text).slice(1, -1);

describe('jsonStringContent', () => {
  it('is what JSON.stringify writes between the quotes, for text with and without escapes', () => {
    const texts = ['http://localhost:8080/fhir/stu3', '', 'a"b', 'a\\b', 'tab\there', 'nul\u0000', '\u001f', 'é漢字', '😀', '\ud83d', 'x\ude00y', '\u2028\u2029', '\u007f'];
    for (const text of texts) expect(jsonStringContent(text), JSON.stringify(text)).toBe(asJson(text));
  });

  it('agrees with JSON.stringify on any string', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'binary' }), (text) => jsonStringContent(text) === asJson(text)),
      { numRuns: 2000 },
    );
  });
});
