import { Box, Text } from 'ink';
import type { DashboardInfo } from './dashboardInfo.js';
import { formatRate, formatUptime } from './format.js';
import { useColour } from './palette.js';

export interface HeaderProps {
  info: DashboardInfo;
  now: number;
  requestsPerSecond: number;
  secretVisible: boolean;
}

const MASK = '••••••••';

/** Where to point a client (base URLs, token URL, demo credentials) and whether the sandbox is busy. */
export function Header({ info, now, requestsPerSecond, secretVisible }: HeaderProps) {
  const colour = useColour();
  const { demoClient } = info;
  return (
    <Box flexDirection="column">
      <Text wrap="truncate-end">
        <Text bold color={colour('cyan')}>
          patients-sandbox {info.version}
        </Text>
        <Text> profile {info.profileName} · up {formatUptime(now - info.startedAt)} · </Text>
        <Text bold>{formatRate(requestsPerSecond)}</Text>
        <Text> req/s</Text>
        {info.simulating ? <Text color={colour('magenta')}> · demo client on</Text> : null}
      </Text>
      <Text wrap="truncate-end">
        {info.fhirVersions.map((version, index) => (
          <Text key={version}>
            {index > 0 ? '  ' : ''}
            <Text bold>{version.toUpperCase()}</Text> {info.origin}/fhir/{version}
          </Text>
        ))}
      </Text>
      <Text wrap="truncate-end">
        <Text bold>token</Text> {info.origin}/oauth2/token
        {demoClient ? (
          <Text>
            {'  '}
            <Text bold>client</Text> {demoClient.id} / {secretVisible ? demoClient.secret : MASK}
          </Text>
        ) : null}
      </Text>
    </Box>
  );
}
