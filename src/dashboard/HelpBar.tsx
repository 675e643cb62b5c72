import { Box, Text } from 'ink';
import { shortenGuids } from './format.js';
import { helpBarLines } from './keyMap.js';
import { useColour, type Colour } from './palette.js';
import { statusLine, type StatusInputs, type StatusTone } from './statusLine.js';

export interface StatusMessage {
  text: string;
  tone: 'info' | 'error';
}

export interface HelpBarProps extends StatusInputs {
  width: number;
  /** False while the help overlay lists the keys in full: the bar then leaves it their lines. */
  showKeys?: boolean;
}

const TONE_COLOUR: Record<Exclude<StatusTone, 'idle'>, Colour> = { info: 'green', error: 'red', progress: 'cyan' };

/** One current status message (see statusLine) and the keys, at the bottom of the screen. */
export function HelpBar({ width, showKeys = true, ...inputs }: HelpBarProps) {
  const colour = useColour();
  const status = statusLine(inputs);
  return (
    <Box flexDirection="column">
      <Text wrap="truncate-end" dimColor={status.tone === 'idle'} color={status.tone === 'idle' ? undefined : colour(TONE_COLOUR[status.tone])} bold={status.tone === 'info' && (inputs.pendingPreset !== undefined || inputs.pendingScenario !== undefined)}>
        {shortenGuids(status.text)}
      </Text>
      {(showKeys ? helpBarLines(width) : []).map((line) => (
        <Text key={line} wrap="truncate-end" inverse>
          {line.padEnd(width)}
        </Text>
      ))}
    </Box>
  );
}
