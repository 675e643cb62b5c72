import { Box, Text } from 'ink';
import { helpBarLines } from './keyMap.js';
import { useColour } from './palette.js';

export interface StatusMessage {
  text: string;
  tone: 'info' | 'error';
}

export interface HelpBarProps {
  status: StatusMessage | undefined;
  presetName: string | undefined;
  width: number;
}

/** The result of the last key and the keys themselves, at the bottom of the screen. */
export function HelpBar({ status, presetName, width }: HelpBarProps) {
  const colour = useColour();
  return (
    <Box flexDirection="column">
      <Text wrap="truncate-end">
        {status ? <Text color={colour(status.tone === 'error' ? 'red' : 'green')}>{status.text}</Text> : <Text dimColor>ready</Text>}
        {presetName !== undefined ? <Text> · preset {presetName} (enter applies)</Text> : null}
      </Text>
      {helpBarLines(width).map((line) => (
        <Text key={line} wrap="truncate-end" inverse>
          {line.padEnd(width)}
        </Text>
      ))}
    </Box>
  );
}
