import { XMLBuilder } from 'fast-xml-parser';

export interface JUnitCase {
  name: string;
  classname: string;
  timeSeconds?: number;
  failure?: { message: string; body?: string };
  skipped?: string;
}

export interface JUnitSuite {
  name: string;
  timeSeconds?: number;
  cases: JUnitCase[];
}

// Characters XML 1.0 cannot carry at all, even escaped.
const NOT_XML = /[^\u0009\u000A\u000D\u0020-\uD7FF\uE000-\uFFFD\u{10000}-\u{10FFFF}]/gu;

const builder = new XMLBuilder({ ignoreAttributes: false, attributeNamePrefix: '@', textNodeName: '#text', format: true, suppressEmptyNode: true });

/**
 * JUnit XML as CI servers read it (the Ant/Surefire shape): one <testsuite> per suite, one <testcase>
 * per case, <failure> or <skipped> inside it, counts on the suites. Text is escaped by the builder.
 */
export function toJUnitXml(suites: JUnitSuite[]): string {
  const counts = suites.map(countsOf);
  const sum = (key: 'tests' | 'failures' | 'skipped') => counts.reduce((total, count) => total + count[key], 0);
  const document = {
    '?xml': { '@version': '1.0', '@encoding': 'UTF-8' },
    testsuites: {
      '@tests': sum('tests'),
      '@failures': sum('failures'),
      '@errors': 0,
      '@skipped': sum('skipped'),
      testsuite: suites.map((suite, index) => ({
        '@name': clean(suite.name),
        '@tests': counts[index]?.tests ?? 0,
        '@failures': counts[index]?.failures ?? 0,
        '@errors': 0,
        '@skipped': counts[index]?.skipped ?? 0,
        ...(suite.timeSeconds === undefined ? {} : { '@time': suite.timeSeconds.toFixed(3) }),
        testcase: suite.cases.map(caseElement),
      })),
    },
  };
  return builder.build(document) as string;
}

function caseElement(testCase: JUnitCase): Record<string, unknown> {
  const element: Record<string, unknown> = { '@name': clean(testCase.name), '@classname': clean(testCase.classname) };
  if (testCase.timeSeconds !== undefined) element['@time'] = testCase.timeSeconds.toFixed(3);
  if (testCase.failure !== undefined) {
    element.failure = { '@message': clean(testCase.failure.message), ...(testCase.failure.body === undefined ? {} : { '#text': clean(testCase.failure.body) }) };
  } else if (testCase.skipped !== undefined) {
    element.skipped = { '@message': clean(testCase.skipped) };
  }
  return element;
}

function countsOf(suite: JUnitSuite): { tests: number; failures: number; skipped: number } {
  return {
    tests: suite.cases.length,
    failures: suite.cases.filter((testCase) => testCase.failure !== undefined).length,
    skipped: suite.cases.filter((testCase) => testCase.failure === undefined && testCase.skipped !== undefined).length,
  };
}

function clean(text: string): string {
  return text.replace(NOT_XML, '\uFFFD');
}
