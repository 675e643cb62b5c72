import { Box, Text } from 'ink';
import type { DashboardInfo } from './dashboardInfo.js';
import { formatRate, formatUptime } from './format.js';
import { useColour } from './palette.js';

export interface HeaderProps {
  info: DashboardInfo;
  now: number;
  requestsPerSecond: number;
  secretVisible: boolean;
  columns: number;
}

const MASK = '••••••••';

/** Lines the header takes: the credentials move to a line of their own when they do not fit beside the token URL. */
export function headerHeight(info: DashboardInfo, columns: number, secretVisible: boolean): number {
  return credentialsInline(info, columns, secretVisible) ? 4 : 5;
}

function credentialsInline(info: DashboardInfo, columns: number, secretVisible: boolean): boolean {
  const { demoClient } = info;
  if (demoClient === undefined) return true;
  const tokenLine = `token ${info.origin}/oauth2/token`;
  const credentials = `creds ${demoClient.id}:${secretVisible ? demoClient.secret : MASK}`;
  return tokenLine.length + 2 + credentials.length <= columns;
}

/** Each gateway's full URL when they all fit on the line, else the common base once and the versions after it. */
function gatewaysInline(info: DashboardInfo, columns: number): boolean {
  const line = info.fhirVersions.map((version) => `${version.toUpperCase()} ${info.origin}/fhir/${version}`).join('  ');
  return line.length <= columns;
}

/** Where to point a client (base URLs, token URL, demo credentials) and whether the sandbox is busy. */
export function Header({ info, now, requestsPerSecond, secretVisible, columns }: HeaderProps) {
  const colour = useColour();
  const { demoClient } = info;
  const inline = credentialsInline(info, columns, secretVisible);
  const credentials =
    demoClient === undefined ? null : (
      <Text>
        <Text bold>creds</Text> {demoClient.id}:{secretVisible ? demoClient.secret : MASK}
      </Text>
    );
  return (
    <Box flexDirection="column">
      <Text wrap="truncate-end">
        <Text bold color={colour('cyan')}>
          patients-sandbox {info.version}
        </Text>
        <Text> · {info.profileName} · up {formatUptime(now - info.startedAt)} · </Text>
        <Text bold>{formatRate(requestsPerSecond)}</Text>
        <Text> req/s</Text>
        {info.simulating ? <Text color={colour('magenta')}> · demo client on</Text> : null}
      </Text>
      <Text wrap="truncate-end">
        {gatewaysInline(info, columns) ? (
          info.fhirVersions.map((version, index) => (
            <Text key={version}>
              {index > 0 ? '  ' : ''}
              <Text bold>{version.toUpperCase()}</Text> {info.origin}/fhir/{version}
            </Text>
          ))
        ) : (
          <Text>
            <Text bold>FHIR</Text> {info.origin}/fhir/ + {info.fhirVersions.join(' · ')}
          </Text>
        )}
      </Text>
      <Text wrap="truncate-end">
        <Text bold>token</Text> {info.origin}/oauth2/token
        {inline && credentials !== null ? <Text>{'  '}{credentials}</Text> : null}
      </Text>
      {!inline ? <Text wrap="truncate-end">{credentials}</Text> : null}
      <Text wrap="truncate-end">
        {/* The front page (JSON for curl) lists every tenant with a token and a search line to paste. */}
        <Text bold>admin</Text> {info.origin}/admin/tenants{'  '}
        <Text bold>try</Text> curl -s {info.origin}/
      </Text>
    </Box>
  );
}
