import type { OutcomeIssue } from '../errors.js';
import { gone, notFound } from '../outcome.js';
import type { ResourceStore } from '../store/resourceStore.js';
import type { StoredRecord } from '../store/storedRecord.js';
import type { ExportKickoff } from './exportKickoff.js';
import { compartmentSlots } from './patientCompartment.js';

/** One type's records as they stood at kick-off, with the slots the export covers. */
export interface ExportSource {
  readonly type: string;
  /** A copy of the type's slots: records are immutable versions, so this is a snapshot. */
  readonly records: ReadonlyArray<StoredRecord | undefined>;
  /** Which positions of `records` belong to the export; undefined when all do. */
  readonly included: Uint8Array | undefined;
}

export interface ExportSelection {
  sources: ExportSource[];
  /** Problems that do not stop the export (a Group member that does not exist): the manifest's error file. */
  issues: OutcomeIssue[];
}

/**
 * Takes the export's snapshot, synchronously, so everything exported is the state at kick-off (the
 * manifest's transactionTime) whatever is written while the job runs. Only references are copied:
 * an 8-byte pointer per record, never the JSON.
 */
export function selectSources(kickoff: ExportKickoff, store: ResourceStore): ExportSelection {
  const issues: OutcomeIssue[] = [];
  const patientKeys = kickoff.level.kind === 'group' ? groupMembers(store, kickoff.level.groupId, issues) : undefined;
  const sources: ExportSource[] = [];
  for (const type of kickoff.types) {
    const table = store.table(type);
    if (table === undefined || table.size === 0) continue;
    const included = kickoff.level.kind === 'system' ? undefined : compartmentSlots(table, patientKeys);
    sources.push({ type, records: table.slots.slice(), included });
  }
  return { sources, issues };
}

interface GroupMember {
  entity?: { reference?: unknown };
  inactive?: unknown;
}

/** The Group's active Patient members as "Patient/<id>" keys; members that do not exist are reported. */
function groupMembers(store: ResourceStore, groupId: string, issues: OutcomeIssue[]): Set<string> {
  const found = store.read('Group', groupId);
  if (found.status === 'deleted') throw gone(`Group/${groupId} has been deleted`);
  if (found.status === 'missing') throw notFound(`Group/${groupId} is not known on this server`);
  const members = (found.record.resource()['member'] ?? []) as GroupMember[];
  const keys = new Set<string>();
  for (const member of members) {
    const reference = member.entity?.reference;
    if (member.inactive === true || typeof reference !== 'string' || !reference.startsWith('Patient/')) continue;
    if (store.read('Patient', reference.slice('Patient/'.length)).status !== 'found') {
      issues.push({ severity: 'warning', code: 'not-found', diagnostics: `Group/${groupId} lists ${reference}, which does not exist on this server`, expression: 'Group.member' });
      continue;
    }
    keys.add(reference);
  }
  return keys;
}
