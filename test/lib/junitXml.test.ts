import { XMLParser, XMLValidator } from 'fast-xml-parser';
import { describe, expect, it } from 'vitest';
import { toJUnitXml, type JUnitSuite } from '../../src/lib/junitXml.js';

// htmlEntities: numeric character references (&#10; in an attribute) decoded as an XML parser must.
const parser = new XMLParser({ htmlEntities: true, ignoreAttributes: false, attributeNamePrefix: '', isArray: (name) => ['testsuite', 'testcase'].includes(name), textNodeName: '#text' });

const SUITES: JUnitSuite[] = [
  {
    name: 'token',
    timeSeconds: 0.25,
    cases: [
      { name: 'passes', classname: 'x.token', timeSeconds: 0.1 },
      { name: 'fails <badly> & "loudly"', classname: 'x.token', timeSeconds: 0.15, failure: { message: 'HTTP 503: "down" & <out>\nsecond line', body: 'body with ]]> and <tags> & \u0007 bell' } },
      { name: 'skips', classname: 'x.token', skipped: "no token: it's gone" },
    ],
  },
  { name: 'empty', cases: [] },
];

describe('toJUnitXml', () => {
  const xml = toJUnitXml(SUITES);

  it('is well-formed XML whatever the text holds (markup, quotes, control characters)', () => {
    expect(XMLValidator.validate(xml)).toBe(true);
    expect(xml.startsWith('<?xml version="1.0" encoding="UTF-8"?>\n<testsuites')).toBe(true);
    expect(xml).not.toContain('\u0007');
  });

  it('counts tests, failures and skips per suite and in total', () => {
    const parsed = parser.parse(xml) as { testsuites: Record<string, unknown> & { testsuite: Array<Record<string, unknown>> } };
    expect(parsed.testsuites).toMatchObject({ tests: '3', failures: '1', errors: '0', skipped: '1' });
    expect(parsed.testsuites.time).toBeUndefined();
    const [token, empty] = parsed.testsuites.testsuite;
    expect(token).toMatchObject({ name: 'token', tests: '3', failures: '1', errors: '0', skipped: '1', time: '0.250' });
    expect(empty).toMatchObject({ name: 'empty', tests: '0', failures: '0' });
  });

  it('keeps every value as written: names, messages with line breaks, failure bodies', () => {
    const parsed = parser.parse(xml) as { testsuites: { testsuite: Array<{ testcase: Array<Record<string, unknown>> }> } };
    const [passes, fails, skips] = parsed.testsuites.testsuite[0]?.testcase ?? [];
    expect(passes).toEqual({ name: 'passes', classname: 'x.token', time: '0.100' });
    expect(fails).toMatchObject({
      name: 'fails <badly> & "loudly"',
      failure: { message: 'HTTP 503: "down" & <out>\nsecond line', '#text': 'body with ]]> and <tags> &  bell' },
    });
    expect(skips).toMatchObject({ skipped: { message: "no token: it's gone" } });
  });

  it('gives the total time when every suite has one', () => {
    expect(toJUnitXml([{ name: 'a', timeSeconds: 1, cases: [] }, { name: 'b', timeSeconds: 0.5, cases: [] }])).toContain('<testsuites tests="0" failures="0" errors="0" skipped="0" time="1.500">');
  });
});
