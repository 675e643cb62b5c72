import * as z from 'zod';
import { MAX_INLINE_KEYS } from '../auth/clientKeys.js';
import { DEFAULT_JWKS_LIMITS } from '../auth/fetchJwks.js';
import { parseSmartScope } from '../auth/smartScope.js';
import { FHIR_VERSIONS } from '../fhir/types.js';
import { reportSettingsSchema } from '../report/reportSettings.js';
import { scenarioSchema } from '../scenarios/scenarioSchema.js';
import { upstreamProfileSchema } from '../upstream/upstreamSettings.js';
import { corsOriginsSchema } from './corsOrigins.js';

/**
 * A profile is a named scenario: tenants (each with its own hospital FHIR server), the OAuth
 * clients allowed to use them, token policy and faults. Profiles are JSON files in profiles/;
 * `npm run build` also publishes this schema as profiles/profile.schema.json for editors.
 */

const guid = z
  .string()
  .regex(/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i, 'must be a GUID such as 0c9f3e5a-2b1d-4c8e-9f00-5a1b2c3d4e5f');

export const tenantSchema = z
  .object({
    id: guid.describe('Tenant ID the client puts in the token scope.'),
    name: z.string().min(1).describe('Customer name shown in the dashboard and /admin/tenants.'),
    hospital: z.string().min(1).describe('Name of the hospital whose FHIR server serves this tenant.'),
    fhirVersion: z.enum(FHIR_VERSIONS).describe('FHIR version the hospital server speaks.'),
    patients: z.number().int().min(0).max(100_000).optional().describe('Number of synthetic patients to generate (not for an upstream tenant).'),
    readOnly: z.boolean().default(false).describe('Refuse create/update/delete with 405, like the real partner.'),
    fixtures: z
      .array(z.string().min(1))
      .default([])
      .describe('Fixture files (relative to the profile, or names of files in seed/) added before the synthetic patients.'),
    upstream: upstreamProfileSchema
      .optional()
      .describe('Serve this tenant from a real FHIR server instead of generated patients: the sandbox forwards each call (see README, "Upstream tenants").'),
  })
  .strict()
  .superRefine((tenant, ctx) => {
    if (tenant.upstream === undefined && tenant.patients === undefined) {
      ctx.addIssue({ code: 'custom', path: ['patients'], message: 'is required: how many synthetic patients to generate (or give "upstream" to serve a real FHIR server)' });
    }
    if (tenant.upstream !== undefined && tenant.patients !== undefined) {
      ctx.addIssue({ code: 'custom', path: ['patients'], message: 'an upstream tenant serves the upstream\'s patients: remove "patients"' });
    }
    if (tenant.upstream !== undefined && tenant.fixtures.length > 0) {
      ctx.addIssue({ code: 'custom', path: ['fixtures'], message: 'an upstream tenant serves the upstream\'s patients: remove "fixtures"' });
    }
  });

const smartScope = z.string().superRefine((text, ctx) => {
  const parsed = parseSmartScope(text);
  if ('problem' in parsed) ctx.addIssue({ code: 'custom', message: parsed.problem });
});

export const clientSchema = z
  .object({
    id: z.string().min(1).regex(/^[\w.-]+$/, 'may hold letters, digits, "_", "." and "-" only'),
    name: z.string().min(1).optional(),
    secret: z.string().min(8, 'must be at least 8 characters').optional().describe('Client secret (client_secret_basic and client_secret_post).'),
    jwks: z
      .looseObject({ keys: z.array(z.record(z.string(), z.unknown())).min(1).max(MAX_INLINE_KEYS) })
      .optional()
      .describe('Public keys (a JWK Set) for private_key_jwt: RSA of 2048 bits or more (RS384) or EC P-384 (ES384), each with a kid.'),
    jwksUrl: z.url({ protocol: /^https?$/, error: 'must be an http(s) URL' }).optional().describe("URL of the client's JWK Set for private_key_jwt, fetched (and cached) when an assertion names a key."),
    tenants: z
      .union([z.literal('*'), z.array(guid).min(1)])
      .describe('Tenant IDs this client may ask for, or "*" for all.'),
    scopes: z
      .union([z.literal('*'), z.array(smartScope)])
      .default('*')
      .describe('SMART system scopes the client may be granted (e.g. "system/Observation.rs", "system/*.read"), or "*" for any. A limited client that asks for none gets these.'),
  })
  .strict()
  .refine((client) => client.secret !== undefined || client.jwks !== undefined || client.jwksUrl !== undefined, {
    message: 'needs a credential: a secret, jwks or jwksUrl',
    path: ['secret'],
  });

export const oauthSchema = z
  .object({
    tokenLifetimeSeconds: z.number().int().min(1).max(86_400).default(3600),
    clockSkewSeconds: z
      .number()
      .int()
      .min(-86_400)
      .max(86_400)
      .default(0)
      .describe(
        "How far the token service's clock is off the gateway's. Positive (ahead): iat, nbf and exp are future-dated and new tokens are refused as not yet valid for that long. Negative (behind): iat and exp are back-dated and tokens expire that much sooner than expires_in says.",
      ),
    strict: z
      .boolean()
      .default(false)
      .describe('Reject the spec example\'s "grant-type" misspelling instead of accepting it with a warning.'),
    jwksFetch: z
      .object({
        timeoutMs: z.number().int().min(1).max(60_000).default(DEFAULT_JWKS_LIMITS.timeoutMs).describe("Longest wait for a client's JWKS URL, headers and body."),
        maxBytes: z.number().int().min(256).max(10_000_000).default(DEFAULT_JWKS_LIMITS.maxBytes).describe('Largest JWKS document read.'),
        cacheSeconds: z.number().int().min(0).max(86_400).default(DEFAULT_JWKS_LIMITS.cacheSeconds).describe('How long fetched keys are used before the URL is asked again.'),
      })
      .strict()
      .default(DEFAULT_JWKS_LIMITS)
      .describe("Limits on fetching clients' JWKS URLs (private_key_jwt)."),
    issuer: z.string().min(1).default('urn:patients-sandbox:partner'),
    audience: z.string().min(1).default('urn:patients-sandbox:fhir-gateway'),
  })
  .strict();

export const faultsSchema = z
  .object({
    presets: z.array(z.string().min(1)).default([]).describe('Named presets applied at start.'),
    rules: z.array(z.unknown()).default([]).describe('Fault rules applied at start (see README, "Fault rules").'),
    exposeHeader: z.boolean().default(true).describe('Name the rule in an X-Sandbox-Fault response header.'),
  })
  .strict();

export const profileSchema = z
  .object({
    $schema: z.string().optional(),
    name: z.string().min(1),
    description: z.string().optional(),
    seed: z.number().int().min(0).max(2 ** 31 - 1).default(1),
    referenceDate: z
      .string()
      .regex(/^\d{4}-\d{2}-\d{2}$/, 'must be a date YYYY-MM-DD')
      .default('2026-01-01')
      .describe('The "today" synthetic histories are written relative to, so data does not drift with the wall clock.'),
    oauth: oauthSchema.default(oauthSchema.parse({})),
    tenants: z.array(tenantSchema).min(1),
    clients: z.array(clientSchema).min(1),
    faults: faultsSchema.default(faultsSchema.parse({})),
    cors: corsOriginsSchema.default('*'),
    scenarios: z.array(scenarioSchema).default([]).describe('Scenarios runnable by name (--scenario, POST /admin/scenarios/run), besides the built-in ones.'),
    report: reportSettingsSchema.default(reportSettingsSchema.parse({})).describe('What the report card requires of the client under test.'),
  })
  .strict()
  .superRefine((profile, ctx) => {
    const tenantIds = new Set<string>();
    profile.tenants.forEach((tenant, index) => {
      const key = tenant.id.toLowerCase();
      if (tenantIds.has(key)) {
        ctx.addIssue({ code: 'custom', path: ['tenants', index, 'id'], message: `duplicate tenant id ${tenant.id}` });
      }
      tenantIds.add(key);
    });
    const scenarioNames = new Set<string>();
    profile.scenarios.forEach((scenario, index) => {
      if (scenarioNames.has(scenario.name)) ctx.addIssue({ code: 'custom', path: ['scenarios', index, 'name'], message: `duplicate scenario name ${scenario.name}` });
      scenarioNames.add(scenario.name);
    });
    const clientIds = new Set<string>();
    profile.clients.forEach((client, index) => {
      if (clientIds.has(client.id)) {
        ctx.addIssue({ code: 'custom', path: ['clients', index, 'id'], message: `duplicate client id ${client.id}` });
      }
      clientIds.add(client.id);
      if (client.tenants !== '*') {
        client.tenants.forEach((tenantId, tenantIndex) => {
          if (!tenantIds.has(tenantId.toLowerCase())) {
            ctx.addIssue({
              code: 'custom',
              path: ['clients', index, 'tenants', tenantIndex],
              message: `unknown tenant ${tenantId}`,
            });
          }
        });
      }
    });
  });

export type Profile = z.infer<typeof profileSchema>;
export type TenantProfile = z.infer<typeof tenantSchema>;
export type ClientProfile = z.infer<typeof clientSchema>;
export type OAuthProfile = z.infer<typeof oauthSchema>;
