import { Box, Text } from 'ink';
import type { ActivityLine, ActivityView } from './activityLog.js';
import { fit, formatMs, formatTime } from './format.js';
import { statusColour, useColour, type Colour } from './palette.js';
import { shortTenantId } from './tenantFaultPresets.js';

export interface RequestLogPanelProps {
  view: ActivityView;
  /** Lines available for log entries (the title line is extra). */
  rows: number;
  width: number;
}

// time, method, tenant, status and ms columns; the path and the fault share what is left.
const TIME = 12;
const METHOD = 6;
const TENANT = 8;
const STATUS = 3;
const MS = 7;

/** The newest requests and notes at the bottom, one per line, so the window always shows the latest. */
export function RequestLogPanel({ view, rows, width }: RequestLogPanelProps) {
  const colour = useColour();
  const lines = view.lines.slice(-rows);
  return (
    <Box flexDirection="column">
      <Text wrap="truncate-end">
        <Text bold>Requests</Text>
        {view.paused ? (
          <Text color={colour('yellow')} bold>
            {' '}
            PAUSED{view.missed > 0 ? ` (+${view.missed} new)` : ''} · space resumes
          </Text>
        ) : (
          <Text> (newest last)</Text>
        )}
      </Text>
      {lines.length === 0 ? <Text dimColor>no requests yet</Text> : null}
      {lines.map((line) => (
        <LogLine key={line.seq} line={line} width={width} colour={colour} />
      ))}
    </Box>
  );
}

function LogLine({ line, width, colour }: { line: ActivityLine; width: number; colour: (c: Colour) => Colour | undefined }) {
  if (line.kind === 'note') {
    const tone = line.tone === 'error' ? 'red' : line.tone === 'warn' ? 'yellow' : line.source === 'simulator' ? 'magenta' : 'cyan';
    return (
      <Text wrap="truncate-end">
        {formatTime(line.at)} <Text color={colour(tone)}>{fit(line.source === 'simulator' ? 'sim' : 'note', METHOD)}</Text>
        {line.tenantId !== undefined ? `${shortTenantId(line.tenantId)} ` : ''}
        <Text color={colour(tone)}>{line.text}</Text>
      </Text>
    );
  }
  const { request } = line;
  const flexible = Math.max(16, width - TIME - METHOD - TENANT - STATUS - MS - 5);
  const faultWidth = request.fault === undefined ? 0 : Math.min(request.fault.length + 1, Math.floor(flexible / 2));
  return (
    <Text wrap="truncate-end">
      {formatTime(request.at)} {fit(request.method, METHOD - 1)} {fit(request.path, flexible - faultWidth)}{' '}
      {fit(request.tenantId !== undefined ? shortTenantId(request.tenantId) : '–', TENANT)}{' '}
      <Text color={colour(statusColour(request.status))} bold={request.status >= 500}>
        {String(request.status)}
      </Text>
      {fit(formatMs(request.ms), MS, 'right')}
      {request.fault !== undefined ? <Text color={colour('yellow')}>{fit(` ${request.fault}`, faultWidth)}</Text> : null}
    </Text>
  );
}
