import path from 'node:path';
import supertest from 'supertest';
import { parseProfile } from '../../src/config/loadProfile.js';
import type { SandboxConfig } from '../../src/config/sandboxConfig.js';
import type { HttpAppOptions } from '../../src/http/app.js';
import { ManualClock, type Clock } from '../../src/lib/clock.js';
import { packageRoot } from '../../src/lib/packageRoot.js';
import { createSandbox, type Sandbox, type SandboxOptions } from '../../src/sandbox.js';

export const STU3_TENANT = '3f8e2a10-5b7c-4d21-9e6a-0c1b2d3e4f50';
export const STU3_OTHER_TENANT = '7a1c9d42-2e3f-4b5a-8c6d-1e2f3a4b5c60';
export const DSTU2_TENANT = 'c4d5e6f7-8a9b-4c0d-9e1f-2a3b4c5d6e70';
export const R4_TENANT = 'e8f9a0b1-c2d3-4e4f-8a5b-6c7d8e9f0a80';
export const DEMO_CLIENT = { id: 'demo-client', secret: 'demo-secret-change-me' };
export const LIMITED_CLIENT = { id: 'limited-client', secret: 'limited-secret-1' };

/** A small profile shaped like the default one: two STU3 tenants, one DSTU2, one R4, a demo client on all. */
export function testProfile(overrides: Record<string, unknown> = {}) {
  return parseProfile(
    {
      name: 'test',
      seed: 7,
      tenants: [
        { id: STU3_TENANT, name: 'Northside', hospital: 'St. Mary (STU3)', fhirVersion: 'stu3', patients: 12, fixtures: ['patients'] },
        { id: STU3_OTHER_TENANT, name: 'Riverside', hospital: 'Riverside (STU3)', fhirVersion: 'stu3', patients: 8 },
        { id: DSTU2_TENANT, name: 'Lakeview', hospital: 'Lakeview (DSTU2)', fhirVersion: 'dstu2', patients: 10, fixtures: ['patients'] },
        { id: R4_TENANT, name: 'Harborview', hospital: 'Harborview (R4)', fhirVersion: 'r4', patients: 10, fixtures: ['patients'] },
      ],
      clients: [
        { id: DEMO_CLIENT.id, secret: DEMO_CLIENT.secret, tenants: '*' },
        { id: LIMITED_CLIENT.id, secret: LIMITED_CLIENT.secret, tenants: [STU3_OTHER_TENANT] },
      ],
      ...overrides,
    },
    'test profile',
  );
}

export function testConfig(overrides: Partial<SandboxConfig> = {}, profileOverrides: Record<string, unknown> = {}): SandboxConfig {
  return {
    profile: testProfile(profileOverrides),
    profileFile: path.join(packageRoot, 'profiles', 'test.json'),
    port: 0,
    host: '127.0.0.1',
    seed: 7,
    headless: true,
    publicBaseUrl: undefined,
    adminKey: undefined,
    strictOAuth: false,
    signingKeyFile: undefined,
    ...overrides,
  };
}

export interface TestSandbox {
  sandbox: Sandbox;
  http: ReturnType<typeof supertest>;
  clock: Clock;
  /** A token for the demo client on the tenant (client_secret_post). */
  token(tenant?: string): Promise<string>;
}

export async function startTestSandbox(
  overrides: Partial<SandboxConfig> = {},
  options: { clock?: Clock; profile?: Record<string, unknown>; bulkExport?: SandboxOptions['bulkExport'] } = {},
): Promise<TestSandbox> {
  const clock = options.clock ?? new ManualClock(Date.UTC(2026, 0, 15, 9));
  // A ManualClock also fires scenario steps as a test moves it.
  const sandbox = await createSandbox(testConfig(overrides, options.profile), {
    clock,
    ...(clock instanceof ManualClock ? { timers: clock } : {}),
    waitUntilSeeded: true,
    bulkExport: options.bulkExport,
  });
  const http = supertest(sandbox.app.callback());
  const token = async (tenant = STU3_TENANT) => {
    const response = await http
      .post('/oauth2/token')
      .type('form')
      .send({ grant_type: 'client_credentials', client_id: DEMO_CLIENT.id, client_secret: DEMO_CLIENT.secret, scope: tenant });
    if (response.status !== 200) throw new Error(`token request failed: ${response.status} ${response.text}`);
    return (response.body as { access_token: string }).access_token;
  };
  return { sandbox, http, clock, token };
}

/** The HTTP app's options for a test sandbox as the sandbox itself builds them, for tests that build a second app beside it. */
export function testAppOptions(sandbox: Sandbox, overrides: Partial<HttpAppOptions> = {}): HttpAppOptions {
  return {
    auth: sandbox.auth,
    tenants: sandbox.tenants,
    faults: sandbox.faults,
    control: sandbox.control,
    events: sandbox.events,
    clock: sandbox.clock,
    publicBaseUrl: undefined,
    adminKey: undefined,
    exposeFaultHeader: () => sandbox.control.faultHeaderExposed,
    maxHangMs: 1_000,
    softwareVersion: sandbox.version,
    cors: '*',
    frontDoor: { profileName: 'test', demoClient: undefined },
    exports: sandbox.exports,
    ...overrides,
  };
}
