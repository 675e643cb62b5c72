import { referenceParam, tokenParam } from './paramBuilders.js';
import type { SearchParamDefinition } from './searchParamDefinition.js';

/**
 * Group's search parameters, the same in DSTU2, STU3 and R4 apart from what `member` may point at
 * (R4 adds PractitionerRole and Group).
 */
export function groupSearchParams(memberTargets: readonly string[]): SearchParamDefinition[] {
  return [
    tokenParam('identifier', 'Unique id', ['identifier']),
    tokenParam('type', 'The type of resources the group contains', ['type']),
    tokenParam('actual', 'Descriptive or actual', ['actual']),
    tokenParam('code', 'The kind of resources contained', ['code']),
    referenceParam('member', 'Reference to the group member', ['member.entity'], memberTargets),
  ];
}
