import { styleText } from 'node:util';
import { CHECK_STAGES, type CheckReport, type CheckResult, type CheckStage } from './checkReport.js';
import { VERSION_CALL_SETS } from './versionCallSets.js';

export interface TextOptions {
  colour: boolean;
}

type Style = Parameters<typeof styleText>[0];

const STAGE_TITLES: Readonly<Record<CheckStage, string>> = {
  discovery: 'Discovery',
  token: 'Token',
  calls: "The client's calls",
  data: 'Data',
  http: 'HTTP',
  timing: 'Timing',
};

/** ✓ passed, ✗ a required check failed, ! a recommended one failed (a warning), - skipped. */
export function checkMark(result: CheckResult): { mark: string; style: Style } {
  if (result.outcome === 'passed') return { mark: '✓', style: 'green' };
  if (result.outcome === 'skipped') return { mark: '-', style: 'gray' };
  return result.level === 'required' ? { mark: '✗', style: 'red' } : { mark: '!', style: 'yellow' };
}

/** The report as a person reads it: a table grouped by stage, what went wrong under each failure, the slowest calls, a summary line. */
export function formatText(report: CheckReport, options: TextOptions): string {
  // Whether to colour is decided by the caller (terminal, NO_COLOR), not by styleText's look at process.stdout.
  const paint = (style: Style, text: string) => (options.colour ? styleText(style, text, { validateStream: false }) : text);
  const width = Math.max(...report.checks.map((check) => check.id.length), 0);
  const indent = ' '.repeat(width + 6);
  const lines = [...header(report), ''];
  for (const stage of CHECK_STAGES) {
    const checks = report.checks.filter((check) => check.stage === stage);
    if (checks.length === 0) continue;
    lines.push(paint('bold', STAGE_TITLES[stage]));
    for (const check of checks) {
      const { mark, style } = checkMark(check);
      lines.push(`  ${paint(style, mark)} ${check.id.padEnd(width)}  ${check.detail}`);
      if (check.outcome !== 'failed') continue;
      lines.push(`${indent}${paint('gray', `why: ${check.reason}`)}`);
      if (check.request !== undefined) {
        const answer = check.response?.status !== undefined ? `HTTP ${check.response.status}` : (check.response?.error ?? 'no answer');
        lines.push(`${indent}${paint('gray', `sent: ${check.request.method} ${check.request.url} → ${answer}`)}`);
      }
    }
  }
  if (report.timing.slowest.length > 0) {
    lines.push('', paint('bold', 'Slowest calls'));
    for (const call of report.timing.slowest) {
      lines.push(`  ${`${call.ms.toFixed(1)} ms`.padStart(10)}  ${call.method} ${call.url}  ${paint('gray', `(${call.check})`)}`);
    }
  }
  lines.push('', summaryLine(report, paint));
  return `${lines.join('\n')}\n`;
}

function header(report: CheckReport): string[] {
  const { target } = report;
  const version = target.fhirVersion === undefined ? 'FHIR version unknown' : VERSION_CALL_SETS[target.fhirVersion].label;
  const declared = target.declaredFhirVersion === undefined ? '' : `, fhirVersion ${target.declaredFhirVersion}`;
  const patient = target.patientId === undefined ? '' : ` · patient ${target.patientId}`;
  const key = target.kid === undefined ? '' : ` (private_key_jwt, kid ${target.kid})`;
  const scope = target.scope === target.tenant ? `tenant ${target.tenant}` : `scope ${target.scope}`;
  return [
    `${report.tool.name} ${report.tool.version} · ${report.startedAt}`,
    `target  ${target.baseUrl} (${version}${declared})`,
    `as      client ${target.clientId}${key} · ${scope}${patient}`,
  ];
}

export function summaryLine(report: CheckReport, paint: (style: Style, text: string) => string = (_style, text) => text): string {
  const { summary, timing } = report;
  const plural = (count: number, word: string) => `${count} ${word}${count === 1 ? '' : 's'}`;
  const verdict = report.outcome === 'passed' ? paint('green', 'PASSED') : paint('red', 'FAILED');
  const strict = report.strict ? ' (strict: warnings fail)' : '';
  return (
    `${plural(summary.total, 'check')}: ${summary.passed} passed, ${summary.failed} failed, ${plural(summary.warnings, 'warning')}, ` +
    `${summary.skipped} skipped · ${plural(timing.calls, 'call')} in ${(report.durationMs / 1000).toFixed(1)} s · ${verdict}${strict}`
  );
}
