import { toJUnitXml, type JUnitCase, type JUnitSuite } from '../lib/junitXml.js';
import { CHECK_STAGES, type CheckReport, type CheckResult } from './checkReport.js';

/**
 * One testsuite per stage, one testcase per check. A required check that failed is a failure; a
 * recommended one is a warning: skipped with its reason, or a failure with --strict, as the exit code says.
 */
export function formatJunit(report: CheckReport): string {
  const suites: JUnitSuite[] = CHECK_STAGES.map((stage) => {
    const cases = report.checks.filter((check) => check.stage === stage).map((check) => junitCase(check, report.strict));
    return { name: `patients-sandbox check: ${stage}`, timeSeconds: seconds(report.checks.filter((check) => check.stage === stage).reduce((sum, check) => sum + check.ms, 0)), cases };
  }).filter((suite) => suite.cases.length > 0);
  return toJUnitXml(suites);
}

function junitCase(check: CheckResult, strict: boolean): JUnitCase {
  const testCase: JUnitCase = { name: `${check.id}: ${check.title}`, classname: `patients-sandbox.check.${check.stage}`, timeSeconds: seconds(check.ms) };
  if (check.outcome === 'skipped') testCase.skipped = check.detail;
  if (check.outcome !== 'failed') return testCase;
  if (check.level === 'recommended' && !strict) {
    testCase.skipped = `warning (recommended check failed): ${check.detail}`;
    return testCase;
  }
  testCase.failure = { message: check.detail, body: failureBody(check) };
  return testCase;
}

function failureBody(check: CheckResult): string {
  const lines = [`${check.level} check ${check.id} failed: ${check.detail}`, `contract: ${check.reason}`];
  if (check.request !== undefined) {
    lines.push(`sent: ${check.request.method} ${check.request.url}`);
    if (check.request.body !== undefined) lines.push(`body: ${check.request.body}`);
  }
  if (check.response !== undefined) {
    lines.push(check.response.status === undefined ? `answer: none (${check.response.error ?? 'no answer'})` : `answer: HTTP ${check.response.status} ${check.response.contentType ?? ''}`.trimEnd());
    if (check.response.body !== undefined) lines.push(check.response.body);
  }
  return lines.join('\n');
}

function seconds(ms: number): number {
  return Math.round(ms) / 1000;
}
