import * as z from 'zod';
import { FHIR_VERSIONS } from '../fhir/types.js';
import { FaultRuleInvalid } from './errors.js';
import { FAULT_LIMITS } from './limits.js';
import { FAULT_INTERACTIONS, type FaultInteraction, type FaultRule } from './types.js';

const ms = z.number().min(0).max(FAULT_LIMITS.maxMs);
const cap = ms.optional();

const oneOrMany = <T extends z.ZodType>(item: T) =>
  z.union([item, z.array(item).min(1).max(FAULT_LIMITS.maxMatchValues)]);

const matchSchema = z.strictObject({
  tenantId: oneOrMany(z.string().min(1).max(200)).optional(),
  resourceType: oneOrMany(z.string().regex(/^[A-Z][A-Za-z]{0,63}$/, 'must be a FHIR resource type name')).optional(),
  interaction: oneOrMany(z.enum(FAULT_INTERACTIONS as readonly [FaultInteraction, ...FaultInteraction[]])).optional(),
  fhirVersion: oneOrMany(z.enum(FHIR_VERSIONS)).optional(),
});

const latencySchema = z.discriminatedUnion('distribution', [
  z.strictObject({ distribution: z.literal('fixed'), ms, cap }),
  z
    .strictObject({ distribution: z.literal('uniform'), min: ms, max: ms, cap })
    .refine((l) => l.max >= l.min, { path: ['max'], message: 'must be ≥ min' }),
  z.strictObject({ distribution: z.literal('normal'), mean: ms, sd: ms, cap }),
  z.strictObject({
    distribution: z.literal('lognormal'),
    median: ms,
    spread: z.number().min(0).max(FAULT_LIMITS.maxLognormalSpread),
    cap,
  }),
]);

const errorSchema = z
  .strictObject({
    status: z.literal([401, 429, 500, 502, 503, 504]),
    retryAfterSeconds: z.number().int().min(0).max(FAULT_LIMITS.maxRetryAfterSeconds).optional(),
    message: z.string().min(1).max(FAULT_LIMITS.maxMessageLength).optional(),
  })
  .refine((e) => e.retryAfterSeconds === undefined || e.status === 429 || e.status === 503, {
    path: ['retryAfterSeconds'],
    message: 'only sent with status 429 or 503',
  });

const transportSchema = z.discriminatedUnion('kind', [
  z.strictObject({ kind: z.literal('hang'), maxMs: ms.optional() }),
  z.strictObject({ kind: z.literal('reset') }),
  z.strictObject({ kind: z.literal('empty-reply') }),
  z.strictObject({ kind: z.literal('truncate'), keepFraction: z.number().gt(0).lt(1).optional() }),
]);

/** Header-safe: the value ends up in Content-Type. */
const contentType = z
  .string()
  .max(200)
  .regex(/^[\w!#$&^.+-]+\/[\w!#$&^.+-]+(\s*;\s*[\w-]+=[\w.-]+)*$/, 'must be a media type such as text/html');

const responseSchema = z.discriminatedUnion('kind', [
  z.strictObject({ kind: z.literal('malformed-json') }),
  z.strictObject({ kind: z.literal('wrong-content-type'), contentType: contentType.optional(), replaceBody: z.boolean().optional() }),
  z.strictObject({ kind: z.literal('broken-next-link'), mode: z.enum(['not-found', 'past-end']).optional() }),
  z.strictObject({
    kind: z.literal('total-mismatch'),
    delta: z.number().int().min(-FAULT_LIMITS.maxTotalDelta).max(FAULT_LIMITS.maxTotalDelta).refine((d) => d !== 0, 'must not be 0').optional(),
  }),
]);

const effectSchema = z
  .strictObject({
    latency: latencySchema.optional(),
    error: errorSchema.optional(),
    transport: transportSchema.optional(),
    response: responseSchema.optional(),
  })
  .superRefine((effect, ctx) => {
    const outcomes = (['error', 'transport', 'response'] as const).filter((key) => effect[key] !== undefined);
    if (outcomes.length === 0 && effect.latency === undefined) {
      ctx.addIssue({ code: 'custom', path: [], message: 'needs one of latency, error, transport, response' });
    } else if (outcomes.length > 1) {
      ctx.addIssue({ code: 'custom', path: [outcomes[1] ?? ''], message: `cannot be combined with ${outcomes[0] ?? ''} (only latency combines)` });
    }
  });

const scheduleSchema = z
  .strictObject({
    fromSeconds: z.number().min(0).max(FAULT_LIMITS.maxScheduleSeconds).optional(),
    untilSeconds: z.number().min(0).max(FAULT_LIMITS.maxScheduleSeconds).optional(),
    everyNth: z.number().int().min(1).max(FAULT_LIMITS.maxEveryNth).optional(),
  })
  .refine((s) => s.fromSeconds === undefined || s.untilSeconds === undefined || s.untilSeconds > s.fromSeconds, {
    path: ['untilSeconds'],
    message: 'must be > fromSeconds',
  });

const ruleSchema = z.strictObject({
  /** Shown in logs and in a response header, so limited to header-safe characters. */
  name: z
    .string()
    .regex(/^[A-Za-z0-9][A-Za-z0-9._:/-]{0,99}$/, 'must be 1–100 letters, digits or . _ : / - (starting with a letter or digit)'),
  match: matchSchema.default({}),
  effect: effectSchema,
  probability: z.number().min(0).max(1).default(1),
  schedule: scheduleSchema.optional(),
  enabled: z.boolean().default(true),
});

type Issue = z.core.$ZodIssue;

function article(expected: string): string {
  return /^[aeiou]/.test(expected) ? `an ${expected}` : `a ${expected}`;
}

function describe(issue: Issue): { path: PropertyKey[]; reason: string } {
  const path = [...issue.path];
  switch (issue.code) {
    case 'unrecognized_keys':
      return { path: [...path, issue.keys[0] ?? ''], reason: 'unknown field' };
    case 'too_small':
      return { path, reason: `must be ${issue.inclusive === false ? '>' : '≥'} ${String(issue.minimum)}` };
    case 'too_big':
      return { path, reason: `must be ${issue.inclusive === false ? '<' : '≤'} ${String(issue.maximum)}` };
    case 'invalid_value':
      return { path, reason: `must be one of ${issue.values.map((v) => JSON.stringify(v)).join(', ')}` };
    case 'invalid_union': {
      // A one-or-many field: the first alternative (a single value) says best what was expected.
      const inner = issue.errors[0]?.[0];
      return inner === undefined ? { path, reason: issue.message } : describe({ ...inner, path: [...path, ...inner.path] });
    }
    case 'invalid_type':
      return { path, reason: issue.message.endsWith('received undefined') ? 'is required' : `must be ${article(issue.expected)}` };
    default:
      return { path, reason: issue.message };
  }
}

/** Validate one rule from JSON (profile, admin API, dashboard). Throws FaultRuleInvalid naming the first bad field. */
export function parseFaultRule(input: unknown): FaultRule {
  const result = ruleSchema.safeParse(input);
  if (!result.success) {
    const first = result.error.issues[0];
    if (first === undefined) throw new FaultRuleInvalid('', 'invalid rule');
    const { path, reason } = describe(first);
    throw new FaultRuleInvalid(path.map(String).join('.'), reason);
  }
  const rule: FaultRule = result.data;
  return rule;
}
