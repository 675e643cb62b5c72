import { useInput } from 'ink';
import { useReducer, useRef, useState } from 'react';
import type { ControlPlane } from '../control/controlPlane.js';
import type { ActivityLog } from './activityLog.js';
import {
  applyPreset,
  clearRequestLog,
  cycleTenantErrors,
  cycleTenantLatency,
  cycleTokenLifetime,
  expireAllTokens,
  rotateClientKeys,
  rotateSigningKey,
  runScenario,
  stopScenario,
} from './dashboardActions.js';
import type { StatusMessage } from './HelpBar.js';

export interface DashboardKeysOptions {
  control: ControlPlane;
  activity: ActivityLog;
  onQuit: () => void;
  /** Keys only where raw mode works (a terminal on stdin); otherwise the dashboard is view-only. */
  isActive: boolean;
}

/** What the keys have chosen so far: view state only; everything about the sandbox stays in the control plane. */
export interface DashboardKeys {
  selectedTenant: number;
  /** Index into control.listClients(): the client `K` acts on. */
  selectedClient: number;
  /** Index into control.faultPresets() chosen with `p` and not applied yet. */
  pendingPreset: number | undefined;
  /** Name of the scenario chosen with `n` and not started yet. */
  pendingScenario: string | undefined;
  reportVisible: boolean;
  status: StatusMessage | undefined;
  secretVisible: boolean;
  helpVisible: boolean;
}

/** The key map (see keyMap.ts): each key is one control-plane call or one view toggle. */
export function useDashboardKeys({ control, activity, onQuit, isActive }: DashboardKeysOptions): DashboardKeys {
  // Keys can arrive faster than frames: what a key acts on is kept in a ref the handler reads and writes
  // directly, so a second key never sees the selection as it was before the first one.
  // `chosen` is what enter acts on: the preset or the scenario picked last, until it is applied.
  const choice = useRef<{ tenant: number; client: number; preset: number | undefined; presetApplied: boolean; scenario: number | undefined; chosen: 'preset' | 'scenario' | undefined }>({
    tenant: 0,
    client: 0,
    preset: undefined,
    presetApplied: false,
    scenario: undefined,
    chosen: undefined,
  });
  const [, redraw] = useReducer((n: number) => n + 1, 0);
  const [status, setStatus] = useState<StatusMessage | undefined>(undefined);
  const [secretVisible, setSecretVisible] = useState(false);
  const [helpVisible, setHelpVisible] = useState(false);
  const [reportVisible, setReportVisible] = useState(false);

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
  const choosePreset = () => {
    const count = control.faultPresets().length;
    choice.current.preset = count === 0 ? undefined : ((choice.current.preset ?? -1) + 1) % count;
    choice.current.presetApplied = false;
    choice.current.chosen = 'preset';
    redraw();
  };
  const chooseScenario = () => {
    const count = control.scenarios().length;
    choice.current.scenario = count === 0 ? undefined : ((choice.current.scenario ?? -1) + 1) % count;
    choice.current.chosen = 'scenario';
    redraw();
  };
  const startChosenScenario = () => {
    const name = choice.current.scenario === undefined ? undefined : control.scenarios()[choice.current.scenario]?.name;
    choice.current.chosen = undefined;
    if (name === undefined) return;
    setStatus({ text: `starting scenario ${name}…`, tone: 'info' });
    runScenario(control, name).then(
      (text) => setStatus({ text, tone: 'info' }),
      (error: unknown) => setStatus({ text: `scenario ${name} did not start: ${error instanceof Error ? error.message : String(error)}`, tone: 'error' }),
    );
  };
  const applyChosenPreset = () => {
    if (choice.current.chosen === 'scenario') {
      startChosenScenario();
      return;
    }
    const chosen = choice.current.preset === undefined ? undefined : control.faultPresets()[choice.current.preset]?.name;
    if (chosen === undefined) {
      setStatus({ text: 'press p to choose a preset first', tone: 'error' });
      return;
    }
    choice.current.presetApplied = true;
    choice.current.chosen = undefined;
    report(() => applyPreset(control, chosen, selectedTenantId()));
  };
  const selectNextClient = () => {
    const count = control.listClients().length;
    choice.current.client = count === 0 ? 0 : (choice.current.client + 1) % count;
    redraw();
  };
  const rotateSelectedClientKeys = () => {
    const clientId = control.listClients()[choice.current.client]?.id;
    if (clientId === undefined) {
      setStatus({ text: 'no client to rotate', tone: 'error' });
      return;
    }
    rotateClientKeys(control, clientId).then(
      (text) => setStatus({ text, tone: 'info' }),
      (error: unknown) => setStatus({ text: error instanceof Error ? error.message : String(error), tone: 'error' }),
    );
  };
  const rotateKey = () => {
    setStatus({ text: 'rotating the signing key…', tone: 'info' });
    rotateSigningKey(control).then(
      (text) => setStatus({ text, tone: 'info' }),
      (error: unknown) => setStatus({ text: `key rotation failed: ${String(error)}`, tone: 'error' }),
    );
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
      else if (input === 'k') rotateKey();
      else if (input === 'b') selectNextClient();
      else if (input === 'K') rotateSelectedClientKeys();
      else if (input === 'p') choosePreset();
      else if (input === 'n') chooseScenario();
      else if (input === 'N') report(() => stopScenario(control));
      else if (input === 'r') setReportVisible((visible) => !visible);
      else if (input === ' ') {
        activity.togglePause();
        setStatus({ text: activity.paused ? 'log paused' : 'log resumed', tone: 'info' });
      } else if (input === 'c') {
        activity.clear();
        report(() => clearRequestLog(control));
      } else if (input === 's') setSecretVisible((visible) => !visible);
      else if (input === '?') setHelpVisible((visible) => !visible);
    },
    { isActive },
  );

  return {
    selectedTenant: choice.current.tenant,
    selectedClient: choice.current.client,
    pendingPreset: choice.current.presetApplied || choice.current.chosen !== 'preset' ? undefined : choice.current.preset,
    pendingScenario: choice.current.chosen === 'scenario' && choice.current.scenario !== undefined ? control.scenarios()[choice.current.scenario]?.name : undefined,
    reportVisible,
    status,
    secretVisible,
    helpVisible,
  };
}
