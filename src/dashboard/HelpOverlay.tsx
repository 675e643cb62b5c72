import { Box, Text } from 'ink';
import { KEY_MAP } from './keyMap.js';

export interface HelpOverlayProps {
  presets: ReadonlyArray<{ name: string }>;
  scenarios: ReadonlyArray<{ name: string }>;
  rows: number;
}

// Below the keys: the title above them, then the presets (up to two lines) and the scenarios.
const LINES_BESIDE_KEYS = 4;

/** Every key with what it does, then the preset and scenario names, in place of the panels while `?` is on. */
export function HelpOverlay({ presets, scenarios, rows }: HelpOverlayProps) {
  return (
    <Box flexDirection="column" height={rows}>
      <Text bold>Keys (? closes)</Text>
      {KEY_MAP.slice(0, Math.max(0, rows - LINES_BESIDE_KEYS)).map((entry) => (
        <Text key={entry.keys} wrap="truncate-end">
          <Text bold>{entry.keys.padEnd(9)}</Text>
          {entry.description}
        </Text>
      ))}
      <Text wrap="wrap">
        <Text bold>presets  </Text>
        {presets.map((preset) => preset.name).join(', ')}
      </Text>
      <Text wrap="truncate-end">
        <Text bold>scenarios </Text>
        {scenarios.map((scenario) => scenario.name).join(', ')}
      </Text>
    </Box>
  );
}
