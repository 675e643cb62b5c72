import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { queryPairs } from '../../src/fhir/text/queryPairs.js';
import { parseFormBody } from '../../src/http/parseFormBody.js';

// Pieces a query is made of, odd ones included: escapes (good and bad), '+', separators, non-ASCII, lone and paired surrogates.
const PIECES = ['a', 'Z', '_count', ':contains', '|', ',', '=', '&', '&&', '+', '%20', '%2B', '%zz', '%', '%E6%BC%A2', '%C3', 'é', '漢', '😀', '\ud83d', '\ude00', ' ', '?', '#', '"', '\\', '\u0000', '\r\n', '\t'];

describe('queryPairs', () => {
  it('reads any query exactly as URLSearchParams does', () => {
    fc.assert(
      fc.property(fc.array(fc.constantFrom(...PIECES), { maxLength: 24 }), (pieces) => {
        const query = pieces.join('');
        expect(queryPairs(query)).toEqual([...new URLSearchParams(query)]);
      }),
      { numRuns: 3000, seed: 15 },
    );
  });

  it('keeps repeated names, empty values and names without a value, in order', () => {
    expect(queryPairs('family:contains=ers&_count=10&&gender&gender=&a=b=c')).toEqual([
      ['family:contains', 'ers'],
      ['_count', '10'],
      ['gender', ''],
      ['gender', ''],
      ['a', 'b=c'],
    ]);
  });

  it('is what a POST _search form body reads as', () => {
    expect(parseFormBody('name=Zo%C3%AB+x&_count=2')).toEqual([['name', 'Zoë x'], ['_count', '2']]);
    expect(parseFormBody('')).toEqual([]);
  });
});
