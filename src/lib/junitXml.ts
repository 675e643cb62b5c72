/**
 * A small JUnit XML writer: the `<testsuites>` document CI systems (GitHub Actions reporters, GitLab,
 * Jenkins, Azure Pipelines) read natively. Only the elements and attributes they all agree on.
 */

export interface JUnitCase {
  name: string;
  classname: string;
  timeSeconds?: number;
  failure?: { message: string; body?: string };
  /** Why the case did not run (or, for a tool with warnings, what it warns about). */
  skipped?: string;
}

export interface JUnitSuite {
  name: string;
  timeSeconds?: number;
  cases: JUnitCase[];
}

export function toJUnitXml(suites: JUnitSuite[]): string {
  const lines = ['<?xml version="1.0" encoding="UTF-8"?>'];
  const all = suites.flatMap((suite) => suite.cases);
  lines.push(`<testsuites${attributes({ tests: all.length, failures: countFailures(all), errors: 0, skipped: countSkipped(all), time: sumTime(suites) })}>`);
  for (const suite of suites) {
    const head = attributes({
      name: suite.name,
      tests: suite.cases.length,
      failures: countFailures(suite.cases),
      errors: 0,
      skipped: countSkipped(suite.cases),
      time: suite.timeSeconds,
    });
    if (suite.cases.length === 0) {
      lines.push(`  <testsuite${head}/>`);
      continue;
    }
    lines.push(`  <testsuite${head}>`);
    for (const testCase of suite.cases) lines.push(...caseLines(testCase));
    lines.push('  </testsuite>');
  }
  lines.push('</testsuites>');
  return `${lines.join('\n')}\n`;
}

function caseLines(testCase: JUnitCase): string[] {
  const head = attributes({ name: testCase.name, classname: testCase.classname, time: testCase.timeSeconds });
  const children: string[] = [];
  if (testCase.failure !== undefined) {
    const { message, body } = testCase.failure;
    children.push(body === undefined || body === '' ? `      <failure${attributes({ message })}/>` : `      <failure${attributes({ message })}>${escapeText(body)}</failure>`);
  }
  if (testCase.skipped !== undefined) children.push(`      <skipped${attributes({ message: testCase.skipped })}/>`);
  if (children.length === 0) return [`    <testcase${head}/>`];
  return [`    <testcase${head}>`, ...children, '    </testcase>'];
}

function countFailures(cases: readonly JUnitCase[]): number {
  return cases.filter((testCase) => testCase.failure !== undefined).length;
}

function countSkipped(cases: readonly JUnitCase[]): number {
  return cases.filter((testCase) => testCase.failure === undefined && testCase.skipped !== undefined).length;
}

function sumTime(suites: readonly JUnitSuite[]): number | undefined {
  const times = suites.map((suite) => suite.timeSeconds);
  return times.every((time): time is number => time !== undefined) ? times.reduce((sum, time) => sum + time, 0) : undefined;
}

/** ` name="value"` pairs in the given order; undefined values are left out, times get millisecond precision. */
function attributes(values: Record<string, string | number | undefined>): string {
  return Object.entries(values)
    .filter((entry): entry is [string, string | number] => entry[1] !== undefined)
    .map(([name, value]) => ` ${name}="${escapeAttribute(typeof value === 'number' ? formatNumber(name, value) : value)}"`)
    .join('');
}

function formatNumber(name: string, value: number): string {
  return name === 'time' ? value.toFixed(3) : String(value);
}

// XML 1.0 cannot carry these at all, not even as character references: drop them.
const NOT_XML_CHARACTERS = /[^\t\n\r\u0020-\uD7FF\uE000-\uFFFD\u{10000}-\u{10FFFF}]/gu;

function escapeText(text: string): string {
  return text.replace(NOT_XML_CHARACTERS, '').replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}

/** Attribute values also escape quotes and keep line breaks (a parser would fold a raw one into a space). */
function escapeAttribute(text: string): string {
  return escapeText(text).replace(/"/g, '&quot;').replace(/\n/g, '&#10;').replace(/\r/g, '&#13;').replace(/\t/g, '&#9;');
}
