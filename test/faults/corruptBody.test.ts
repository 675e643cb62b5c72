import { describe, expect, it } from 'vitest';
import { breakNextLink, readBrokenLink } from '../../src/faults/brokenPageLink.js';
import { asSearchBundle, bodyText, malformJson, misstateTotal } from '../../src/faults/corruptBody.js';
import type { SearchBundle } from '../../src/faults/corruptBody.js';

const bundle: SearchBundle = {
  resourceType: 'Bundle',
  type: 'searchset',
  total: 3,
  link: [
    { relation: 'self', url: 'http://127.0.0.1/fhir/stu3/Patient?_count=2' },
    { relation: 'next', url: 'http://127.0.0.1/fhir/stu3/Patient?_count=2&_offset=2' },
  ],
  entry: [{}, {}],
};

describe('body corruption', () => {
  it('reads bodies as text whatever form the handler left them in', () => {
    expect(bodyText({ a: 1 })).toBe('{"a":1}');
    expect(bodyText('{"a":1}')).toBe('{"a":1}');
    expect(bodyText(Buffer.from('{"a":1}'))).toBe('{"a":1}');
    expect(bodyText(undefined)).toBeUndefined();
  });

  it('malformed JSON no longer parses', () => {
    expect(() => JSON.parse(malformJson(JSON.stringify(bundle)))).toThrow(SyntaxError);
    expect(() => JSON.parse(malformJson('[1,2]'))).toThrow(SyntaxError);
  });

  it('recognises only searchset Bundles', () => {
    expect(asSearchBundle(JSON.stringify(bundle))).toEqual(bundle);
    expect(asSearchBundle({ resourceType: 'Patient' })).toBeUndefined();
    expect(asSearchBundle({ resourceType: 'Bundle', type: 'batch-response' })).toBeUndefined();
    expect(asSearchBundle('{broken')).toBeUndefined();
  });

  it('misstates total by delta, never below zero', () => {
    expect(misstateTotal(bundle, 5).total).toBe(8);
    expect(misstateTotal(bundle, -10).total).toBe(0);
    expect(misstateTotal({ resourceType: 'Bundle', type: 'searchset', entry: [{}] }, 2).total).toBe(3);
  });

  it('marks a broken next link so the follow-up is recognised', () => {
    const notFound = breakNextLink(bundle, 'not-found', 'paging/404');
    const next = notFound?.link?.find((l) => l.relation === 'next')?.url ?? '';
    expect(readBrokenLink(new URL(next).search.slice(1))).toEqual({ mode: 'not-found', rule: 'paging/404' });
    expect(breakNextLink({ ...bundle, link: [] }, 'not-found', 'x')).toBeUndefined();

    const lastPage: SearchBundle = { ...bundle, link: bundle.link?.filter((l) => l.relation === 'self') ?? [] };
    const pastEnd = breakNextLink(lastPage, 'past-end', 'paging/end');
    const pastUrl = pastEnd?.link?.find((l) => l.relation === 'next')?.url ?? '';
    expect(readBrokenLink(new URL(pastUrl).search.slice(1))).toEqual({ mode: 'past-end', rule: 'paging/end', total: 3 });
  });

  it('ignores markers a client made up', () => {
    expect(readBrokenLink('_count=2')).toBeUndefined();
    expect(readBrokenLink('sandbox-broken-page=gone')).toBeUndefined();
    expect(readBrokenLink('sandbox-broken-page=not-found~0~bad%0Aname')).toBeUndefined();
  });
});
