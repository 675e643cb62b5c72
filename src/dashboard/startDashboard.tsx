import { render } from 'ink';
import type { ControlPlane } from '../control/controlPlane.js';
import type { EventBus } from '../events/eventBus.js';
import type { Clock } from '../lib/clock.js';
import { ActivityLog } from './activityLog.js';
import { Dashboard } from './Dashboard.js';
import type { DashboardInfo } from './dashboardInfo.js';
import { ColourContext } from './palette.js';
import { takeOverScreen } from './terminalScreen.js';
import { TrafficStats } from './trafficStats.js';

export interface StartDashboardOptions {
  control: ControlPlane;
  events: EventBus;
  clock: Clock;
  info: DashboardInfo;
  colours: boolean;
  onQuit: () => void;
  stdout?: NodeJS.WriteStream;
  stdin?: NodeJS.ReadStream;
  stderr?: NodeJS.WriteStream;
}

export interface RunningDashboard {
  /** Unmounts, stops listening to events and gives the terminal back. */
  stop(): void;
}

// Frames per second Ink may write; the dashboard's own tick (200 ms) stays below it.
const MAX_FPS = 10;

/** Shows the dashboard full-screen on a terminal until stopped. */
export function startDashboard(options: StartDashboardOptions): RunningDashboard {
  const stdout = options.stdout ?? process.stdout;
  const stdin = options.stdin ?? process.stdin;
  const stats = new TrafficStats(options.events, options.clock);
  const activity = new ActivityLog(options.events);
  const screen = takeOverScreen(stdout, stdin);
  const instance = render(
    <ColourContext.Provider value={options.colours}>
      <Dashboard control={options.control} stats={stats} activity={activity} info={options.info} clock={options.clock} onQuit={options.onQuit} />
    </ColourContext.Provider>,
    { stdout, stdin, stderr: options.stderr ?? process.stderr, exitOnCtrlC: false, patchConsole: true, maxFps: MAX_FPS },
  );
  let stopped = false;
  const stop = () => {
    if (stopped) return;
    stopped = true;
    instance.unmount();
    stats.dispose();
    activity.dispose();
    screen.restore();
  };
  // A render error ends the Ink app: give the terminal back, say why, and shut down the way `q` does
  // rather than leave a sandbox running behind a dead screen.
  instance.waitUntilExit().catch((error: unknown) => {
    stop();
    (options.stderr ?? process.stderr).write(`patients-sandbox: the dashboard failed: ${error instanceof Error ? error.message : String(error)}\n`);
    options.onQuit();
  });
  return { stop };
}
