import { Box, Text } from 'ink';
import { KEY_MAP } from './keyMap.js';

export interface HelpOverlayProps {
  presets: ReadonlyArray<{ name: string }>;
  rows: number;
}

/** Every key with what it does, then the preset names, in place of the panels while `?` is on. */
export function HelpOverlay({ presets, rows }: HelpOverlayProps) {
  return (
    <Box flexDirection="column" height={rows}>
      <Text bold>Keys (? closes)</Text>
      {KEY_MAP.slice(0, Math.max(0, rows - 2)).map((entry) => (
        <Text key={entry.keys} wrap="truncate-end">
          <Text bold>{entry.keys.padEnd(9)}</Text>
          {entry.description}
        </Text>
      ))}
      <Text wrap="wrap">
        <Text bold>presets  </Text>
        {presets.map((preset) => preset.name).join(', ')}
      </Text>
    </Box>
  );
}
