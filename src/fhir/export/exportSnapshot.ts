import type { OutcomeIssue } from '../errors.js';
import { gone, notFound } from '../outcome.js';
import type { ResourceStore } from '../store/resourceStore.js';
import type { TableSnapshot } from '../store/tableSnapshot.js';
import type { ExportKickoff } from './exportKickoff.js';

/**
 * What an export reads: the tables of its types as they stood at kick-off (the manifest's
 * transactionTime), whatever is written while the job runs. Opening it copies nothing, so a
 * kick-off costs the same for ten patients and for a hundred thousand.
 */
export interface ExportSnapshot {
  /** Each type to export that held records at kick-off, in the kick-off's order. */
  readonly tables: ReadonlyMap<string, TableSnapshot>;
  /** Patient and Group exports walk patients: the Patient table, also when Patient itself is not exported. */
  readonly patients: TableSnapshot | undefined;
  /** A Group export's members, as slots of the Patient table. */
  readonly memberSlots: readonly number[] | undefined;
  /** Problems that do not stop the export (a Group member that does not exist): the manifest's error file. */
  readonly issues: readonly OutcomeIssue[];
  /** Lets go of every table (and the versions kept for it). */
  close(): void;
}

export function openExportSnapshot(kickoff: ExportKickoff, store: ResourceStore): ExportSnapshot {
  const issues: OutcomeIssue[] = [];
  // Resolved before any table is opened: an unknown Group opens nothing.
  const memberIds = kickoff.level.kind === 'group' ? groupMemberIds(store, kickoff.level.groupId) : undefined;
  const tables = new Map<string, TableSnapshot>();
  for (const type of kickoff.types) {
    const table = store.table(type);
    if (table !== undefined && table.size > 0) tables.set(type, table.openSnapshot());
  }
  const patients = kickoff.level.kind === 'system' ? undefined : (tables.get('Patient') ?? store.table('Patient')?.openSnapshot());
  let memberSlots: number[] | undefined;
  if (memberIds !== undefined) {
    memberSlots = [];
    for (const id of memberIds) {
      const slot = store.table('Patient')?.slotOf(id);
      if (slot !== undefined) memberSlots.push(slot);
      else issues.push({ severity: 'warning', code: 'not-found', diagnostics: `the Group lists Patient/${id}, which does not exist on this server`, expression: 'Group.member' });
    }
  }
  return {
    tables,
    patients,
    memberSlots,
    issues,
    close: () => {
      for (const table of tables.values()) table.close();
      patients?.close();
    },
  };
}

interface GroupMember {
  entity?: { reference?: unknown };
  inactive?: unknown;
}

/** The ids of the Group's active Patient members, each once, in the Group's order. */
function groupMemberIds(store: ResourceStore, groupId: string): string[] {
  const found = store.read('Group', groupId);
  if (found.status === 'deleted') throw gone(`Group/${groupId} has been deleted`);
  if (found.status === 'missing') throw notFound(`Group/${groupId} is not known on this server`);
  const ids = new Set<string>();
  for (const member of (found.record.resource()['member'] ?? []) as GroupMember[]) {
    const reference = member.entity?.reference;
    if (member.inactive !== true && typeof reference === 'string' && reference.startsWith('Patient/')) ids.add(reference.slice('Patient/'.length));
  }
  return [...ids];
}
