import { skipped, type Verdict } from './checkRun.js';
import type { RunFacts } from './runFacts.js';

/** What a check needs from earlier ones; the first missing thing becomes its skip reason. */
export type Prerequisite = 'version' | 'token' | 'patient';

export function unmet(facts: RunFacts, ...needs: Prerequisite[]): Verdict | undefined {
  for (const need of needs) {
    if (need === 'version' && facts.callSet === undefined) return skipped(facts.blocked.version ?? 'the FHIR version is unknown');
    if (need === 'token' && facts.grant === undefined) return skipped(facts.blocked.token ?? 'no token');
    if (need === 'patient' && facts.patientId === undefined) return skipped(facts.blocked.patient ?? 'no patient to open');
  }
  return undefined;
}
