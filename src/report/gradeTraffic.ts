import type { TokenIssuedEvent } from '../events/types.js';
import { indexTokens, type Criterion, type GradedRequest, type GradingContext } from './clientTraffic.js';
import { CRITERION_IDS, CRITERION_TITLES, type CriterionId } from './criteria.js';
import { backoff } from './criteria/backoff.js';
import { correctness } from './criteria/correctness.js';
import { expiryForesight } from './criteria/expiryForesight.js';
import { pageLoad } from './criteria/pageLoad.js';
import { paging } from './criteria/paging.js';
import { retryAfter } from './criteria/retryAfter.js';
import { timeouts } from './criteria/timeouts.js';
import { tokenRefresh } from './criteria/tokenRefresh.js';
import { tokenReuse } from './criteria/tokenReuse.js';
import type { ClientReport, ReportCard } from './reportCard.js';
import type { ReportSettings } from './reportSettings.js';

const JUDGES: Readonly<Record<CriterionId, Criterion>> = {
  'token-reuse': tokenReuse,
  'token-refresh': tokenRefresh,
  'expiry-foresight': expiryForesight,
  'retry-after': retryAfter,
  backoff,
  paging,
  'page-load': pageLoad,
  correctness,
  timeouts,
};

/** What the sandbox saw in the window being graded. */
export interface ObservedWindow {
  since: number;
  /** Requests attributed to a client, in the order they finished. */
  requests: readonly GradedRequest[];
  tokens: readonly TokenIssuedEvent[];
  /** When tokens were invalidated wholesale (expire-all, key rotation, a client's revocation). */
  invalidations: readonly number[];
  /** Hosts (lower case, with port) metadata was served on, so it advertised a token URL there. */
  metadataHosts: ReadonlySet<string>;
  droppedRequests: number;
}

export interface GradeOptions {
  now: number;
  settings: ReportSettings;
  /** Tenant id → its FHIR version, from the tenant directory. */
  tenantVersions: ReadonlyMap<string, string>;
  /** The --public-url host, which metadata advertises whatever host it was asked on. */
  publicHost?: string | undefined;
  scenario: { name: string; state: string } | null;
}

/** Grades every client in the window: pure, so the same traffic always gives the same report. */
export function gradeTraffic(observed: ObservedWindow, options: GradeOptions): ReportCard {
  const advertisedHosts = new Set(observed.metadataHosts);
  if (options.publicHost !== undefined) advertisedHosts.add(options.publicHost.toLowerCase());
  const context: GradingContext = {
    tenantVersions: new Map([...options.tenantVersions].map(([id, version]) => [id.toLowerCase(), version])),
    advertisedHosts,
    invalidations: observed.invalidations,
    settings: options.settings,
  };
  const required = new Set<CriterionId>(options.settings.required);
  const clients = clientIds(observed.requests).map((clientId) => gradeClient(clientId, observed, context, required));
  const failures = clients.flatMap((client) =>
    client.criteria.filter((criterion) => criterion.required && criterion.result === 'fail').map((criterion) => ({ clientId: client.clientId, criterion: criterion.id, summary: criterion.summary })),
  );
  return {
    since: new Date(observed.since).toISOString(),
    generatedAt: new Date(options.now).toISOString(),
    scenario: options.scenario,
    required: CRITERION_IDS.filter((id) => required.has(id)),
    passed: failures.length === 0,
    failures,
    clients,
    droppedRequests: observed.droppedRequests,
  };
}

function gradeClient(clientId: string, observed: ObservedWindow, context: GradingContext, required: ReadonlySet<CriterionId>): ClientReport {
  // Arrival order: a retry is judged against when it was sent, not when its answer came.
  const requests = observed.requests
    .filter((request) => request.clientId === clientId)
    .map((request, index) => ({ request, index }))
    .sort((a, b) => (a.request.startedAt ?? a.request.at) - (b.request.startedAt ?? b.request.at) || a.index - b.index)
    .map(({ request }) => request);
  const traffic = { clientId, requests, tokens: indexTokens(observed.tokens.filter((token) => token.clientId === clientId)) };
  const criteria = CRITERION_IDS.map((id) => {
    const judgement = JUDGES[id](traffic, context);
    return { id, title: CRITERION_TITLES[id], required: required.has(id), ...judgement };
  });
  const passed = !criteria.some((criterion) => criterion.required && criterion.result === 'fail');
  return { clientId, requests: requests.length, passed, criteria };
}

function clientIds(requests: readonly GradedRequest[]): string[] {
  const ids = new Set<string>();
  for (const request of requests) if (request.clientId !== undefined) ids.add(request.clientId);
  return [...ids].sort();
}
