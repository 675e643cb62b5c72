import { Box, Text } from 'ink';
import type { ActivityLine, ActivityView } from './activityLog.js';
import { fit, formatMs, formatTime, shortenGuids } from './format.js';
import { statusColour, useColour, type Colour } from './palette.js';
import { shortTenantId } from './tenantFaultPresets.js';

export interface RequestLogPanelProps {
  view: ActivityView;
  /** Lines available for log entries (the title line is extra); the panel always takes them all. */
  rows: number;
  width: number;
  /** 401s no tenant row counts (no token, or one that could not be verified). */
  unauthorizedWithoutTenant: number;
}

// time, method, tenant, status and ms columns; the path and the fault share what is left.
const TIME = 8;
const METHOD = 6;
const TENANT = 8;
const STATUS = 3;
const MS = 7;
// Upstream tenants: how much of `ms` the upstream took ("↑12ms"); the rest is the sandbox's own, faults included.
const UPSTREAM = 8;

/** The newest requests and notes at the bottom, one per line, so the window always shows the latest. */
export function RequestLogPanel({ view, rows, width, unauthorizedWithoutTenant }: RequestLogPanelProps) {
  const colour = useColour();
  const lines = view.lines.slice(-rows);
  // Reserved only while an upstream request is on screen, so a sandbox without upstream tenants keeps its path width.
  const upstreamColumn = lines.some((line) => line.kind === 'request' && line.request.upstreamMs !== undefined);
  return (
    // A fixed height keeps the help bar at the bottom of the screen while the log is still short.
    <Box flexDirection="column" height={rows + 1}>
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
        {upstreamColumn ? <Text dimColor> · ↑ the upstream's share of ms</Text> : null}
        <Text> · 401 without tenant: </Text>
        <Text color={unauthorizedWithoutTenant > 0 ? colour('yellow') : undefined} bold={unauthorizedWithoutTenant > 0}>
          {unauthorizedWithoutTenant}
        </Text>
      </Text>
      {lines.length === 0 ? <Text dimColor>no requests yet</Text> : null}
      {lines.map((line) => (
        <LogLine key={line.seq} line={line} width={width} colour={colour} upstreamColumn={upstreamColumn} />
      ))}
    </Box>
  );
}

function LogLine({ line, width, colour, upstreamColumn }: { line: ActivityLine; width: number; colour: (c: Colour) => Colour | undefined; upstreamColumn: boolean }) {
  if (line.kind === 'note') {
    const tone = line.tone === 'error' ? 'red' : line.tone === 'warn' ? 'yellow' : line.source === 'simulator' ? 'magenta' : 'cyan';
    return (
      <Text wrap="truncate-end">
        {formatTime(line.at)} <Text color={colour(tone)}>{fit(line.source === 'simulator' ? 'sim' : 'note', METHOD)}</Text>
        {line.tenantId !== undefined ? `${shortTenantId(line.tenantId)} ` : ''}
        <Text color={colour(tone)}>{shortenGuids(line.text)}</Text>
      </Text>
    );
  }
  const { request } = line;
  const fault = request.fault === undefined ? undefined : withoutTenantSuffix(shortenGuids(request.fault), request.tenantId);
  const flexible = Math.max(16, width - TIME - METHOD - TENANT - STATUS - MS - (upstreamColumn ? UPSTREAM : 0) - 5);
  // The fault column is always reserved, so tenant, status and ms stay in line whether a row has a fault or not.
  const faultWidth = Math.min(28, Math.max(10, Math.floor(flexible * 0.35)));
  return (
    <Text wrap="truncate-end">
      {formatTime(request.at)} {fit(request.method, METHOD - 1)} {fit(request.path, flexible - faultWidth)}{' '}
      {fit(request.tenantId !== undefined ? shortTenantId(request.tenantId) : '–', TENANT)}{' '}
      <Text color={colour(statusColour(request.status))} bold={request.status >= 500}>
        {String(request.status)}
      </Text>
      {fit(formatMs(request.ms), MS, 'right')}
      {upstreamColumn ? <Text dimColor>{fit(request.upstreamMs === undefined ? '' : `↑${formatMs(request.upstreamMs)}`, UPSTREAM, 'right')}</Text> : null}
      {fault !== undefined ? <Text color={colour('yellow')}> {fit(fault, faultWidth - 1)}</Text> : null}
    </Text>
  );
}

/** "dash-error-3f8e2a10" on a row already showing tenant 3f8e2a10 reads as "dash-error": room for the path. */
function withoutTenantSuffix(ruleName: string, tenantId: string | undefined): string {
  if (tenantId === undefined) return ruleName;
  const suffix = shortTenantId(tenantId);
  return ruleName.length > suffix.length + 1 && ruleName.endsWith(suffix) && '-/'.includes(ruleName.charAt(ruleName.length - suffix.length - 1))
    ? ruleName.slice(0, -suffix.length - 1)
    : ruleName;
}
