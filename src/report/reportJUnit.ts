import { toJUnitXml, type JUnitCase, type JUnitSuite } from '../lib/junitXml.js';
import type { ClientReport, CriterionResult, ReportCard } from './reportCard.js';

/**
 * The report card as JUnit XML: a suite per client, a test case per criterion. A failed required
 * criterion is a <failure> (so the CI job fails); "not observed", and a failed criterion the profile
 * does not require, are <skipped> with the reason, so they show without failing the job.
 */
export function reportAsJUnit(report: ReportCard): string {
  return toJUnitXml(report.clients.map(suiteOf));
}

function suiteOf(client: ClientReport): JUnitSuite {
  return { name: `patients-sandbox report card: ${client.clientId}`, cases: client.criteria.map((criterion) => caseOf(client.clientId, criterion)) };
}

function caseOf(clientId: string, criterion: CriterionResult): JUnitCase {
  const testCase: JUnitCase = { name: `${criterion.id}: ${criterion.title}`, classname: `patients-sandbox.${clientId}` };
  const evidence = criterion.evidence.map((item) => `${item.requestId} ${item.at} ${item.note}`).join('\n');
  if (criterion.result === 'fail' && criterion.required) testCase.failure = { message: criterion.summary, body: evidence };
  else if (criterion.result === 'fail') testCase.skipped = `failed, but not required: ${criterion.summary}`;
  else if (criterion.result === 'not-observed') testCase.skipped = `not observed: ${criterion.summary}`;
  return testCase;
}
