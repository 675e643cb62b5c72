import { Box, useInput, useStdin } from 'ink';
import { useReducer, useRef, useState } from 'react';
import type { ControlPlane } from '../control/controlPlane.js';
import type { Clock } from '../lib/clock.js';
import type { ActivityLog } from './activityLog.js';
import {
  applyPreset,
  clearRequestLog,
  cycleTenantErrors,
  cycleTenantLatency,
  cycleTokenLifetime,
  expireAllTokens,
  rotateSigningKey,
} from './dashboardActions.js';
import type { DashboardInfo } from './dashboardInfo.js';
import { Header, headerHeight } from './Header.js';
import { HelpBar, type StatusMessage } from './HelpBar.js';
import { HelpOverlay } from './HelpOverlay.js';
import { helpBarLines } from './keyMap.js';
import { RequestLogPanel } from './RequestLogPanel.js';
import { tenantFaultLabels } from './tenantFaultLabels.js';
import { TenantsPanel, type TenantRow } from './TenantsPanel.js';
import { TokensPanel } from './TokensPanel.js';
import type { TrafficStats } from './trafficStats.js';
import { useRefreshTick } from './useRefreshTick.js';
import { useTerminalSize } from './useTerminalSize.js';

export interface DashboardProps {
  control: ControlPlane;
  stats: TrafficStats;
  activity: ActivityLog;
  info: DashboardInfo;
  clock: Clock;
  /** How often the screen is redrawn from the stores; events never trigger a render themselves. */
  refreshMs?: number;
  /** Called by `q`: the caller shuts the sandbox down the way SIGINT does. */
  onQuit: () => void;
}

// Lines that are not header, tenants, log or help bar: tenants title and column names 2, tokens 1, log title 1, status 1.
const FIXED_LINES = 5;
// Ink clears the whole screen each frame once the output is as tall as the terminal; one line less avoids that flicker.
const SPARE_LINES = 1;
const MIN_LOG_LINES = 3;

/** The live view: it reads the control plane and the event-fed stores on each tick, and keys call the control plane. */
export function Dashboard({ control, stats, activity, info, clock, refreshMs = 200, onQuit }: DashboardProps) {
  useRefreshTick(refreshMs);
  const { columns, rows } = useTerminalSize();
  const { isRawModeSupported } = useStdin();
  // Keys can arrive faster than frames: what a key acts on is kept in a ref the handler reads and writes
  // directly, so a second key never sees the selection as it was before the first one.
  const choice = useRef<{ tenant: number; preset: number | undefined; presetApplied: boolean }>({ tenant: 0, preset: undefined, presetApplied: false });
  const [, redraw] = useReducer((n: number) => n + 1, 0);
  const [status, setStatus] = useState<StatusMessage | undefined>(undefined);
  const [secretVisible, setSecretVisible] = useState(false);
  const [helpVisible, setHelpVisible] = useState(false);

  const now = clock.now();
  const traffic = stats.snapshot();
  const rules = control.listFaultRules();
  const presets = control.faultPresets();
  const tenants: TenantRow[] = control.listTenants().map((tenant) => ({
    id: tenant.id,
    name: tenant.name,
    fhirVersion: tenant.fhirVersion,
    patients: tenant.patientCount,
    ready: tenant.ready,
    faults: tenantFaultLabels(rules, tenant.id),
    traffic: traffic.byTenant.get(tenant.id.toLowerCase()),
  }));
  const selectedIndex = Math.min(choice.current.tenant, Math.max(0, tenants.length - 1));
  const presetName = choice.current.preset === undefined || choice.current.presetApplied ? undefined : presets[choice.current.preset]?.name;

  const helpLines = helpBarLines(columns).length;
  const room = rows - SPARE_LINES - FIXED_LINES - headerHeight(info, columns, secretVisible) - helpLines;
  const tenantRows = Math.max(1, Math.min(tenants.length, room - MIN_LOG_LINES));
  const logRows = Math.max(1, room - tenantRows);

  const report = (run: () => string) => {
    try {
      setStatus({ text: run(), tone: 'info' });
    } catch (error) {
      setStatus({ text: error instanceof Error ? error.message : String(error), tone: 'error' });
    }
  };
  const selectTenant = (move: (current: number, count: number) => number) => {
    const count = control.listTenants().length;
    choice.current.tenant = count === 0 ? 0 : Math.min(count - 1, Math.max(0, move(Math.min(choice.current.tenant, count - 1), count)));
    redraw();
  };
  const selectedTenantId = (): string | undefined => control.listTenants()[choice.current.tenant]?.id;
  const onTenant = (run: (tenantId: string) => string) => {
    const tenantId = selectedTenantId();
    if (tenantId === undefined) setStatus({ text: 'no tenant to change', tone: 'error' });
    else report(() => run(tenantId));
  };
  const applyChosenPreset = () => {
    const chosen = choice.current.preset === undefined ? undefined : control.faultPresets()[choice.current.preset]?.name;
    if (chosen === undefined) setStatus({ text: 'press p to choose a preset first', tone: 'error' });
    else {
      choice.current.presetApplied = true;
      report(() => applyPreset(control, chosen, selectedTenantId()));
    }
  };

  useInput(
    (input, key) => {
      if (key.upArrow) selectTenant((current) => current - 1);
      else if (key.downArrow) selectTenant((current) => current + 1);
      else if (key.tab) selectTenant((current, count) => (current + (key.shift ? count - 1 : 1)) % count);
      else if (key.return) applyChosenPreset();
      else if (input === 'q' || (key.ctrl && input === 'c')) onQuit();
      else if (input === 'l') onTenant((tenantId) => cycleTenantLatency(control, tenantId));
      else if (input === 'e') onTenant((tenantId) => cycleTenantErrors(control, tenantId));
      else if (input === 't') report(() => cycleTokenLifetime(control));
      else if (input === 'x') report(() => expireAllTokens(control));
      else if (input === 'k') {
        setStatus({ text: 'rotating the signing key…', tone: 'info' });
        rotateSigningKey(control).then(
          (text) => setStatus({ text, tone: 'info' }),
          (error: unknown) => setStatus({ text: `key rotation failed: ${String(error)}`, tone: 'error' }),
        );
      } else if (input === 'p') {
        const count = control.faultPresets().length;
        choice.current.preset = count === 0 ? undefined : ((choice.current.preset ?? -1) + 1) % count;
        choice.current.presetApplied = false;
        redraw();
      } else if (input === ' ') {
        activity.togglePause();
        setStatus({ text: activity.paused ? 'log paused' : 'log resumed', tone: 'info' });
      } else if (input === 'c') {
        activity.clear();
        report(() => clearRequestLog(control));
      } else if (input === 's') setSecretVisible((visible) => !visible);
      else if (input === '?') setHelpVisible((visible) => !visible);
    },
    { isActive: isRawModeSupported },
  );

  return (
    <Box flexDirection="column" width={columns}>
      <Header info={info} now={now} requestsPerSecond={traffic.requestsPerSecond} secretVisible={secretVisible} columns={columns} />
      {helpVisible ? (
        // The help takes the panels' place: tenants (title, names, rows), tokens, log (title, rows).
        <HelpOverlay presets={presets} rows={tenantRows + logRows + 4} />
      ) : (
        <>
          <TenantsPanel tenants={tenants} selected={selectedIndex} width={columns} maxRows={tenantRows} />
          <TokensPanel status={control.tokenStatus()} now={now} />
          <RequestLogPanel view={activity.view()} rows={logRows} width={columns} />
        </>
      )}
      <HelpBar status={status} presetName={presetName} width={columns} />
    </Box>
  );
}
