import type { CriterionId } from './criteria.js';

/** The shape of `GET /admin/report` (docs/report-card.md describes each field). */

export type Verdict = 'pass' | 'fail' | 'not-observed';

/** One request that decided a verdict, and why. */
export interface Evidence {
  requestId: string;
  /** When the request finished, ISO 8601 on the sandbox clock. */
  at: string;
  note: string;
}

export interface CriterionResult {
  id: CriterionId;
  title: string;
  required: boolean;
  result: Verdict;
  summary: string;
  /** At most a handful of requests: the failures first, else examples of the behaviour that passed. */
  evidence: Evidence[];
}

export interface ClientReport {
  clientId: string;
  requests: number;
  /** Required criteria of this client all passed or were not observed. */
  passed: boolean;
  criteria: CriterionResult[];
}

export interface ReportCard {
  /** Start of the observed traffic: sandbox start, the last scenario start, or the last reset. */
  since: string;
  generatedAt: string;
  scenario: { name: string; state: string } | null;
  required: CriterionId[];
  /** No client failed a required criterion. */
  passed: boolean;
  /** Each failed required criterion, for a CI log. */
  failures: Array<{ clientId: string; criterion: CriterionId; summary: string }>;
  clients: ClientReport[];
  /** Requests that were not kept because the observation window was full (the oldest go first). */
  droppedRequests: number;
}
