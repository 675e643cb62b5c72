import { Box, Text } from 'ink';
import type { ReportCard, Verdict } from '../report/reportCard.js';
import { formatTime } from './format.js';
import { useColour, type Colour } from './palette.js';

export interface ReportOverlayProps {
  report: ReportCard;
  rows: number;
}

const MARK: Record<Verdict, { sign: string; colour: Colour }> = {
  pass: { sign: '✓', colour: 'green' },
  fail: { sign: '✗', colour: 'red' },
  'not-observed': { sign: '–', colour: 'gray' },
};

/** The report card in place of the panels while `r` is on: each client's criteria, the failures' first evidence. */
export function ReportOverlay({ report, rows }: ReportOverlayProps) {
  const colour = useColour();
  const failedRequired = report.failures.length;
  const lines = report.clients.flatMap((client) => [
    <Text key={client.clientId} bold wrap="truncate-end">
      {client.clientId} · {client.requests} requests
    </Text>,
    ...client.criteria.map((criterion) => {
      const mark = MARK[criterion.result];
      const first = criterion.result === 'fail' ? criterion.evidence[0] : undefined;
      return (
        <Text key={`${client.clientId} ${criterion.id}`} wrap="truncate-end">
          {'  '}
          <Text color={colour(mark.colour)}>{mark.sign}</Text> {criterion.id.padEnd(17)}
          {criterion.required ? '* ' : '  '}
          {criterion.result === 'not-observed' ? 'not observed' : criterion.summary}
          {first === undefined ? '' : ` · ${first.requestId}: ${first.note}`}
        </Text>
      );
    }),
  ]);
  return (
    <Box flexDirection="column" height={rows}>
      <Text bold wrap="truncate-end">
        Report card (r closes) · since {formatTime(Date.parse(report.since))}
        {report.scenario === null ? '' : ` · scenario ${report.scenario.name} ${report.scenario.state}`} ·{' '}
        <Text color={colour(failedRequired === 0 ? 'green' : 'red')}>{failedRequired === 0 ? 'no required criterion failed' : `${failedRequired} required failed`}</Text> · * required
      </Text>
      {lines.length === 0 ? <Text dimColor>no client has made a request yet</Text> : lines.slice(0, Math.max(0, rows - 1))}
    </Box>
  );
}
