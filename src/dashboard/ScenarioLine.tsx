import { Text } from 'ink';
import type { ScenarioStatus } from '../scenarios/scenarioRun.js';
import { formatCountdown } from './format.js';
import { useColour } from './palette.js';

export interface ScenarioLineProps {
  status: ScenarioStatus;
}

/** The running scenario: its next step and when, and the time left; or how the last one ended. */
export function ScenarioLine({ status }: ScenarioLineProps) {
  const colour = useColour();
  if (status.state !== 'running') {
    return (
      <Text wrap="truncate-end">
        <Text bold>Scenario</Text> {status.name} · {status.state}
      </Text>
    );
  }
  return (
    <Text wrap="truncate-end">
      <Text bold>Scenario</Text> <Text color={colour('magenta')}>{status.name}</Text>
      {status.next === null ? '' : ` · next ${status.next.at} ${status.next.step} in ${formatCountdown(status.next.inSeconds * 1000)}`} · {formatCountdown(status.timeLeftSeconds * 1000)} left
    </Text>
  );
}
