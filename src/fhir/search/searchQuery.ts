import type { DateRange } from '../text/dateRange.js';

/** A search after parsing: typed filters (all must match) and the controls that shape the result. */
export interface SearchQuery {
  resourceType: string;
  filters: SearchFilter[];
  controls: SearchControls;
  /** Parameters that were understood, as received: the basis of every paging link. */
  usedParams: Array<readonly [string, string]>;
  /** Parameters that were ignored (lenient handling), with why. */
  ignored: IgnoredParam[];
}

export interface IgnoredParam {
  name: string;
  reason: string;
}

export const DATE_PREFIXES = ['eq', 'ne', 'gt', 'lt', 'ge', 'le', 'sa', 'eb'] as const;
export type DatePrefix = (typeof DATE_PREFIXES)[number];

export interface DateCondition {
  prefix: DatePrefix;
  range: DateRange;
}

/** A token to look for; an absent member matches anything, system '' means "no system". */
export interface TokenCondition {
  system?: string;
  code?: string;
}

export type StringMode = 'starts-with' | 'contains' | 'exact';

/** One parameter occurrence; its values are alternatives (OR). `paramIndex` points into TypeTable.params. */
export type SearchFilter =
  | { kind: 'id'; name: string; ids: string[] }
  | { kind: 'lastUpdated'; name: string; conditions: DateCondition[] }
  /** `values` are normalised for starts-with/contains, as sent for exact. */
  | { kind: 'string'; name: string; paramIndex: number; mode: StringMode; values: string[] }
  | { kind: 'token'; name: string; paramIndex: number; negated: boolean; conditions: TokenCondition[] }
  | { kind: 'date'; name: string; paramIndex: number; conditions: DateCondition[] }
  /** `keys` are "Type/id" alternatives: a bare id expands to each target type of the parameter. */
  | { kind: 'reference'; name: string; paramIndex: number; keys: string[] }
  | { kind: 'missing'; name: string; paramIndex: number; missing: boolean };

export type SortTarget = { kind: 'id' } | { kind: 'lastUpdated' } | { kind: 'param'; paramIndex: number; isDate: boolean };

export interface SortKey {
  name: string;
  descending: boolean;
  target: SortTarget;
}

export interface SearchControls {
  count: number;
  offset: number;
  sort: SortKey[];
  /** `_summary=count`: only the total. */
  totalOnly: boolean;
}
