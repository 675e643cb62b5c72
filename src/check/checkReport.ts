/**
 * The checker's report: what `patients-sandbox check --format json` prints, field for field
 * (docs/check-report.md documents it). Field names are stable; new fields may be added.
 */
import type { CheckVersion } from './versionCallSets.js';

/** In the order a client meets them. */
export const CHECK_STAGES = ['discovery', 'token', 'calls', 'data', 'http', 'timing'] as const;
export type CheckStage = (typeof CHECK_STAGES)[number];

/** A failed `required` check fails the run; a failed `recommended` one is a warning (a failure with --strict). */
export type CheckLevel = 'required' | 'recommended';

export type CheckOutcome = 'passed' | 'failed' | 'skipped';

/** A request as the checker sent it, secrets replaced by `<redacted>`. */
export interface ReportedRequest {
  method: string;
  url: string;
  headers: Record<string, string>;
  body?: string;
}

/** What came back: `status` is absent when no answer arrived (`error` says why). */
export interface ReportedResponse {
  status?: number;
  contentType?: string;
  /** The first 500 characters of the body. */
  body?: string;
  error?: string;
  ms: number;
}

export interface CheckResult {
  /** Stable, e.g. `token.form-post`: the part before the dot is the stage. */
  id: string;
  stage: CheckStage;
  level: CheckLevel;
  /** What is checked, in a few words. */
  title: string;
  outcome: CheckOutcome;
  /** What was seen: why it passed, failed or was skipped. */
  detail: string;
  /** The contract rule the check stands for, in one line. */
  reason: string;
  /** The request that decided the outcome, with its answer; absent when none did. */
  request?: ReportedRequest;
  response?: ReportedResponse;
  /** HTTP calls this check made or examined. */
  calls: number;
  /** Time spent in this check's own calls. */
  ms: number;
}

export interface TimedCall {
  check: string;
  method: string;
  url: string;
  status?: number;
  ms: number;
}

export interface CheckSummary {
  total: number;
  passed: number;
  /** Required checks that failed. */
  failed: number;
  /** Recommended checks that failed. */
  warnings: number;
  skipped: number;
}

export interface CheckReport {
  tool: { name: 'patients-sandbox check'; version: string };
  target: {
    baseUrl: string;
    /** The version the checker spoke: from --version, else read from metadata; absent when neither said. */
    fhirVersion?: CheckVersion;
    /** `fhirVersion` as the metadata declares it, e.g. "3.0.1". */
    declaredFhirVersion?: string;
    tokenUrl?: string;
    tenant: string;
    /** The token requests' scope: the tenant, then any further scopes asked for. */
    scope: string;
    clientId: string;
    /** How the client authenticated: its secret (Basic and form post), or an assertion signed by its key. */
    clientAuthentication: 'client_secret' | 'private_key_jwt';
    /** The kid of the key that signed the assertions (private_key_jwt). */
    kid?: string;
    /** The patient the clinical calls used. */
    patientId?: string;
  };
  startedAt: string;
  durationMs: number;
  /** Warnings fail the run too. */
  strict: boolean;
  /** `failed` when a required check failed (with strict, also a recommended one). */
  outcome: 'passed' | 'failed';
  summary: CheckSummary;
  checks: CheckResult[];
  timing: {
    calls: number;
    /** Sum of every call's time. */
    totalMs: number;
    /** The five slowest calls, slowest first. */
    slowest: TimedCall[];
  };
}

export function summarize(checks: readonly CheckResult[]): CheckSummary {
  const count = (accept: (check: CheckResult) => boolean) => checks.filter(accept).length;
  return {
    total: checks.length,
    passed: count((check) => check.outcome === 'passed'),
    failed: count((check) => check.outcome === 'failed' && check.level === 'required'),
    warnings: count((check) => check.outcome === 'failed' && check.level === 'recommended'),
    skipped: count((check) => check.outcome === 'skipped'),
  };
}

export function runOutcome(summary: CheckSummary, strict: boolean): 'passed' | 'failed' {
  return summary.failed > 0 || (strict && summary.warnings > 0) ? 'failed' : 'passed';
}
