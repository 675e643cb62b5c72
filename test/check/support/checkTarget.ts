import { listen, type RunningServer } from '../../../src/http/listen.js';
import { ManualClock, type Clock } from '../../../src/lib/clock.js';
import { createSandbox, type Sandbox } from '../../../src/sandbox.js';
import type { CheckOptions } from '../../../src/check/checkOptions.js';
import { DEMO_CLIENT, DSTU2_TENANT, R4_TENANT, STU3_OTHER_TENANT, STU3_TENANT, testConfig } from '../../support/testSandbox.js';

/** Over 100 patients in each tenant the checker tests, so following next links takes six pages. */
export const CHECKED_TENANT_PATIENTS = 105;

export const CHECKED_TENANTS = { stu3: STU3_TENANT, dstu2: DSTU2_TENANT, r4: R4_TENANT } as const;

export type CheckedVersion = keyof typeof CHECKED_TENANTS;

// Thresholds no loaded test machine reaches: only the timing test sets its own.
export const RELAXED_TIMING = { slowCallMs: 60_000, pageLoadMs: 60_000 };

export interface CheckTarget {
  sandbox: Sandbox;
  server: RunningServer;
  /** Options for a check of one version's tenant as the demo client, with relaxed timing. */
  options(version: CheckedVersion, overrides?: Partial<CheckOptions>): CheckOptions;
  /** An admin API call, sent as the docs say: JSON content type, loopback host. */
  admin(method: 'POST' | 'PATCH' | 'DELETE', path: string, body?: unknown): Promise<void>;
  close(): Promise<void>;
}

/**
 * The sandbox on a real loopback port, the partner the checker must pass on every version. Its clock
 * stands still unless `clock` is given: client assertions, stamped by the checker's clock, need the
 * partner's to agree.
 */
export async function startCheckTarget(clock: Clock = new ManualClock(Date.UTC(2026, 0, 15, 9))): Promise<CheckTarget> {
  const profile = {
    tenants: [
      { id: STU3_TENANT, name: 'Northside', hospital: 'St. Mary (STU3)', fhirVersion: 'stu3', patients: CHECKED_TENANT_PATIENTS, fixtures: ['patients'] },
      { id: STU3_OTHER_TENANT, name: 'Riverside', hospital: 'Riverside (STU3)', fhirVersion: 'stu3', patients: 8 },
      { id: DSTU2_TENANT, name: 'Lakeview', hospital: 'Lakeview (DSTU2)', fhirVersion: 'dstu2', patients: CHECKED_TENANT_PATIENTS, fixtures: ['patients'] },
      { id: R4_TENANT, name: 'Harborview', hospital: 'Harborview (R4)', fhirVersion: 'r4', patients: CHECKED_TENANT_PATIENTS, fixtures: ['patients'] },
    ],
  };
  const sandbox = await createSandbox(testConfig({}, profile), { clock, waitUntilSeeded: true });
  const server = await listen(sandbox.app, 0, '127.0.0.1');
  return {
    sandbox,
    server,
    options: (version, overrides = {}) => ({
      baseUrl: `${server.origin}/fhir/${version}`,
      clientId: DEMO_CLIENT.id,
      clientSecret: DEMO_CLIENT.secret,
      tenant: CHECKED_TENANTS[version],
      ...RELAXED_TIMING,
      ...overrides,
    }),
    async admin(method, path, body) {
      const response = await fetch(`${server.origin}/admin/${path}`, {
        method,
        headers: { 'Content-Type': 'application/json' },
        ...(body === undefined ? {} : { body: JSON.stringify(body) }),
      });
      if (!response.ok) throw new Error(`admin ${method} ${path}: HTTP ${response.status} ${await response.text()}`);
    },
    close: () => server.close(100),
  };
}
