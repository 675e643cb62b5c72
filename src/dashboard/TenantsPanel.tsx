import { Box, Text } from 'ink';
import type { FhirVersion } from '../fhir/types.js';
import { fit, formatMs } from './format.js';
import { useColour } from './palette.js';
import type { WindowSummary } from './rollingWindow.js';
import { shortTenantId } from './tenantFaultPresets.js';

export interface TenantRow {
  id: string;
  name: string;
  fhirVersion: FhirVersion;
  patients: number;
  ready: boolean;
  /** While not ready: patients seeded so far of the total; drawn as a progress bar. */
  seeding?: { done: number; total: number };
  faults: readonly string[];
  /** The last minute; undefined when the tenant had no traffic. */
  traffic: WindowSummary | undefined;
}

export interface TenantsPanelProps {
  tenants: readonly TenantRow[];
  selected: number;
  width: number;
  /** Tenant rows that fit; the list scrolls to keep the selected one in view. */
  maxRows: number;
}

// Fixed columns: marker, GUID, version, patients, p50, p95, errors (with their separating spaces).
const FIXED = { marker: 2, guid: 9, version: 6, patients: 9, p50: 7, p95: 7, errors: 5 };
const FIXED_WIDTH = Object.values(FIXED).reduce((sum, width) => sum + width, 0);
// P50, P95 and ERR summarise the tenant's requests of the last minute (trafficStats' rolling window).
const WINDOW_LABEL = 'last 60 s:';

/** "seeding ███████░░░ 70%" in the given width. */
export function progressBar(done: number, total: number, width: number): string {
  const fraction = total > 0 ? Math.min(1, done / total) : 0;
  const label = ` ${Math.floor(fraction * 100)}%`;
  const barWidth = Math.max(4, width - label.length);
  const filled = Math.round(fraction * barWidth);
  return `${'█'.repeat(filled)}${'░'.repeat(barWidth - filled)}${label}`;
}

/** One line per tenant: who, which server, how many patients, what faults, and last-minute latency and errors. */
export function TenantsPanel({ tenants, selected, width, maxRows }: TenantsPanelProps) {
  const colour = useColour();
  const flexible = Math.max(20, width - FIXED_WIDTH - 1);
  const nameWidth = Math.min(28, Math.max(12, Math.floor(flexible * 0.45)));
  const faultsWidth = flexible - nameWidth;
  const first = Math.min(Math.max(0, selected - maxRows + 1), Math.max(0, tenants.length - maxRows));
  const visible = tenants.slice(first, first + maxRows);
  const current = tenants[selected];
  return (
    <Box flexDirection="column">
      <Text wrap="truncate-end">
        <Text bold>Tenants</Text>
        {current !== undefined ? <Text> · scope for {current.name}: {current.id}</Text> : null}
      </Text>
      <Text bold wrap="truncate-end">
        {'  '}
        {fit('TENANT', nameWidth)} {fit('GUID', FIXED.guid - 1)} {fit('FHIR', FIXED.version - 1)} {fit('PATIENTS', FIXED.patients - 1, 'right')}{' '}
        {fit('FAULTS', faultsWidth - 1 - WINDOW_LABEL.length)}
        <Text dimColor>{WINDOW_LABEL}</Text> {fit('P50', FIXED.p50 - 1, 'right')} {fit('P95', FIXED.p95 - 1, 'right')} {fit('ERR', FIXED.errors - 1, 'right')}
      </Text>
      {visible.map((tenant, index) => {
        const isSelected = first + index === selected;
        const errors = tenant.traffic?.errors ?? 0;
        return (
          <Text key={tenant.id} wrap="truncate-end" inverse={isSelected}>
            {isSelected ? '▶ ' : '  '}
            {fit(tenant.name, nameWidth)} {fit(shortTenantId(tenant.id), FIXED.guid - 1)} {fit(tenant.fhirVersion.toUpperCase(), FIXED.version - 1)}{' '}
            {fit(tenant.ready ? String(tenant.patients) : `${tenant.patients}…`, FIXED.patients - 1, 'right')}{' '}
            {!tenant.ready && tenant.seeding ? (
              <Text color={colour('cyan')}>{fit(progressBar(tenant.seeding.done, tenant.seeding.total, faultsWidth - 1), faultsWidth - 1)}</Text>
            ) : (
              <Text color={tenant.faults.length > 0 ? colour('yellow') : undefined}>{fit(tenant.faults.length > 0 ? tenant.faults.join(', ') : '–', faultsWidth - 1)}</Text>
            )}{' '}
            {fit(formatMs(tenant.traffic?.p50Ms), FIXED.p50 - 1, 'right')} {fit(formatMs(tenant.traffic?.p95Ms), FIXED.p95 - 1, 'right')}{' '}
            <Text color={errors > 0 ? colour('red') : undefined}>{fit(String(errors), FIXED.errors - 1, 'right')}</Text>
          </Text>
        );
      })}
    </Box>
  );
}
