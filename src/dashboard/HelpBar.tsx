import { Box, Text } from 'ink';
import { shortenGuids } from './format.js';
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
        {presetName !== undefined ? <Text bold>preset {presetName} (enter applies) · </Text> : null}
        {status ? <Text color={colour(status.tone === 'error' ? 'red' : 'green')}>{shortenGuids(status.text)}</Text> : <Text dimColor>ready</Text>}
      </Text>
      {helpBarLines(width).map((line) => (
        <Text key={line} wrap="truncate-end" inverse>
          {line.padEnd(width)}
        </Text>
      ))}
    </Box>
  );
}
