import { Box, useStdin } from 'ink';
import { useMemo } from 'react';
import type { ControlPlane } from '../control/controlPlane.js';
import type { Clock } from '../lib/clock.js';
import type { ActivityLog } from './activityLog.js';
import { ClientsPanel } from './ClientsPanel.js';
import type { DashboardInfo } from './dashboardInfo.js';
import { Header, headerHeight } from './Header.js';
import { HelpBar } from './HelpBar.js';
import { HelpOverlay } from './HelpOverlay.js';
import { helpBarLines } from './keyMap.js';
import { ReportOverlay } from './ReportOverlay.js';
import { RequestLogPanel } from './RequestLogPanel.js';
import { ScenarioLine } from './ScenarioLine.js';
import { tenantFaultLabels } from './tenantFaultLabels.js';
import { TenantsPanel, type TenantRow } from './TenantsPanel.js';
import { TokensPanel } from './TokensPanel.js';
import type { TrafficStats } from './trafficStats.js';
import { useDashboardKeys } from './useDashboardKeys.js';
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

// Lines that are not header, tenants, log or help bar: tenants title and column names 2, tokens 1, clients 1, log title 1, status 1.
const FIXED_LINES = 6;
// Ink clears the whole screen each frame once the output is as tall as the terminal; one line less avoids that flicker.
const SPARE_LINES = 1;
const MIN_LOG_LINES = 3;

/** The live view: it reads the control plane and the event-fed stores on each tick; keys (useDashboardKeys) call the control plane. */
export function Dashboard({ control, stats, activity, info, clock, refreshMs = 200, onQuit }: DashboardProps) {
  useRefreshTick(refreshMs);
  const { columns, rows } = useTerminalSize();
  const { isRawModeSupported } = useStdin();
  const keys = useDashboardKeys({ control, activity, onQuit, isActive: isRawModeSupported });

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
    seeding: tenant.seeding,
    faults: tenantFaultLabels(rules, tenant.id),
    traffic: traffic.byTenant.get(tenant.id.toLowerCase()),
  }));
  const selectedIndex = Math.min(keys.selectedTenant, Math.max(0, tenants.length - 1));
  const clients = control.listClients();
  const seeding = tenants.every((tenant) => tenant.ready) ? undefined : seedingTotal(tenants);
  const presetName = keys.pendingPreset === undefined ? undefined : presets[keys.pendingPreset]?.name;
  const scenario = control.scenarioStatus();
  // Grading walks the whole window: once a second is enough for a screen.
  const gradedSecond = keys.reportVisible ? Math.floor(now / 1000) : undefined;
  const report = useMemo(() => (gradedSecond === undefined ? undefined : control.reportCard()), [control, gradedSecond]);

  const helpLines = helpBarLines(columns).length;
  const room = rows - SPARE_LINES - FIXED_LINES - (scenario === undefined ? 0 : 1) - headerHeight(info, columns, keys.secretVisible) - helpLines;
  const tenantRows = Math.max(1, Math.min(tenants.length, room - MIN_LOG_LINES));
  const logRows = Math.max(1, room - tenantRows);
  // What the panels take: tenants (title, names, rows), tokens, clients, the scenario line, log (title, rows).
  const panelLines = tenantRows + logRows + 5 + (scenario === undefined ? 0 : 1);

  return (
    <Box flexDirection="column" width={columns}>
      <Header info={info} now={now} requestsPerSecond={traffic.requestsPerSecond} secretVisible={keys.secretVisible} columns={columns} />
      {keys.helpVisible ? (
        // The help takes the place of the panels (tenants: title, names, rows; tokens; clients; scenario; log: title, rows) and of the key bar.
        <HelpOverlay presets={presets} scenarios={control.scenarios()} rows={panelLines + helpLines} />
      ) : keys.reportVisible ? (
        <ReportOverlay report={report ?? control.reportCard()} rows={panelLines} />
      ) : (
        <>
          <TenantsPanel tenants={tenants} selected={selectedIndex} width={columns} maxRows={tenantRows} />
          <TokensPanel status={control.tokenStatus()} now={now} />
          <ClientsPanel clients={clients} selected={Math.min(keys.selectedClient, Math.max(0, clients.length - 1))} />
          {scenario === undefined ? null : <ScenarioLine status={scenario} />}
          <RequestLogPanel view={activity.view()} rows={logRows} width={columns} unauthorizedWithoutTenant={traffic.unauthorizedWithoutTenant} />
        </>
      )}
      <HelpBar keyResult={keys.status} pendingPreset={presetName} pendingScenario={keys.pendingScenario} seeding={seeding} width={columns} showKeys={!keys.helpVisible} />
    </Box>
  );
}

function seedingTotal(tenants: readonly TenantRow[]): { done: number; total: number } {
  return tenants.reduce((sum, tenant) => ({ done: sum.done + (tenant.seeding?.done ?? 0), total: sum.total + (tenant.seeding?.total ?? 0) }), { done: 0, total: 0 });
}
