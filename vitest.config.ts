import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts', 'test/**/*.test.tsx'],
    environment: 'node',
    // Ink renders only its last frame when it believes it runs in CI; the dashboard tests read
    // intermediate frames, so they must see a terminal session even when CI=true is set.
    env: { CI: 'false', CONTINUOUS_INTEGRATION: 'false' },
    // Timeouts catch hangs, not slowness: tests that start child processes take several times longer
    // on a loaded 2-core machine than on a quiet one, so the bound is generous.
    testTimeout: 60_000,
    hookTimeout: 120_000,
  },
});
