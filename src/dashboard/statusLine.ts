import type { StatusMessage } from './HelpBar.js';

export interface StatusInputs {
  /** A preset chosen with `p` and not applied yet. */
  pendingPreset: string | undefined;
  /** A scenario chosen with `n` and not started yet. */
  pendingScenario?: string | undefined;
  /** What the last key did. */
  keyResult: StatusMessage | undefined;
  /** Patients seeded so far over every tenant, while any tenant is still seeding. */
  seeding: { done: number; total: number } | undefined;
}

export type StatusTone = 'info' | 'error' | 'progress' | 'idle';

/**
 * The one message the status line shows, newest concern first: a preset or scenario waiting for enter, the last
 * key's result, seeding progress, then "ready" (only once every tenant is seeded).
 */
export function statusLine({ pendingPreset, pendingScenario, keyResult, seeding }: StatusInputs): { text: string; tone: StatusTone } {
  if (pendingScenario !== undefined) return { text: `scenario ${pendingScenario} (enter starts it)`, tone: 'info' };
  if (pendingPreset !== undefined) return { text: `preset ${pendingPreset} (enter applies)`, tone: 'info' };
  if (keyResult !== undefined) return keyResult;
  if (seeding !== undefined) return { text: `seeding: ${seeding.done} of ${seeding.total} patients…`, tone: 'progress' };
  return { text: 'ready', tone: 'idle' };
}
