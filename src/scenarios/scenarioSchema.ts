import * as z from 'zod';
import { FaultError } from '../faults/errors.js';
import { parseFaultRule } from '../faults/parseFaultRule.js';
import { FAULT_PRESETS, parsePresetReference } from '../faults/presets.js';
import { DURATION_PATTERN, durationMs } from './duration.js';

/**
 * A scenario: a timeline of control actions, each `at` an offset from the moment the scenario starts.
 * Every step is one ControlPlane operation (the same the admin API and the dashboard call):
 * `apply` a preset or a fault rule, or an `action` on tokens, keys or rules; `end` closes the timeline.
 */

// A week: long enough for any soak, short enough to catch a unit mistake ("90000" meant as ms).
const MAX_OFFSET_MS = 7 * 24 * 3_600_000;
const MAX_STEPS = 500;

const at = z
  .union([z.number().min(0), z.string().regex(DURATION_PATTERN, 'must be a duration such as "30s", "1m30s" or "500ms", or a number of seconds')])
  .refine((value) => durationMs(value) <= MAX_OFFSET_MS, 'must be at most 7 days')
  .describe('When the step happens, counted from the moment the scenario starts: "30s", "1m30s", "500ms", or seconds as a number.');

const presetName = z
  .string()
  .refine((reference) => FAULT_PRESETS.some((preset) => preset.name === parsePresetReference(reference).name), {
    message: `must be a preset: ${FAULT_PRESETS.map((preset) => preset.name).join(', ')}`,
  });

/** A fault rule in the admin API's JSON, checked by the same parser the admin API uses. */
const faultRule = z
  .unknown()
  .superRefine((rule, ctx) => {
    try {
      parseFaultRule(rule);
    } catch (error) {
      if (!(error instanceof FaultError)) throw error;
      const field = 'field' in error && typeof error.field === 'string' ? error.field : '';
      const reason = field !== '' && error.message.startsWith(`${field}: `) ? error.message.slice(field.length + 2) : error.message;
      ctx.addIssue({ code: 'custom', path: field === '' ? [] : field.split('.'), message: reason });
    }
  })
  .describe('A fault rule, as POST /admin/faults takes it (see the README, "Faults").');

const seconds = (min: number, max: number) => z.number().int().min(min).max(max);

/** Each kind of step, keyed by its `apply` or `action` value. */
const STEP_SCHEMAS = {
  preset: z.strictObject({ at, apply: z.literal('preset'), preset: presetName.describe('A fault preset; "tenant-outage:<tenant id>" or tenantId for the preset that takes a tenant.'), tenantId: z.string().min(1).optional() }),
  rule: z.strictObject({ at, apply: z.literal('rule'), rule: faultRule }),
  'expire-all': z.strictObject({ at, action: z.literal('expire-all') }),
  calm: z.strictObject({ at, action: z.literal('calm') }),
  'rotate-key': z.strictObject({ at, action: z.literal('rotate-key'), graceSeconds: seconds(0, 86_400).default(0) }),
  'token-lifetime': z.strictObject({ at, action: z.literal('token-lifetime'), seconds: seconds(1, 86_400) }),
  'clock-skew': z.strictObject({ at, action: z.literal('clock-skew'), seconds: seconds(-86_400, 86_400) }),
  'remove-rule': z.strictObject({ at, action: z.literal('remove-rule'), name: z.string().min(1) }),
  'clear-rules': z.strictObject({ at, action: z.literal('clear-rules') }),
  'revoke-client-tokens': z.strictObject({ at, action: z.literal('revoke-client-tokens'), clientId: z.string().min(1) }),
  end: z.strictObject({ at, action: z.literal('end') }),
} as const;

const APPLY_KINDS = ['preset', 'rule'] as const;
const ACTION_KINDS = ['expire-all', 'calm', 'rotate-key', 'token-lifetime', 'clock-skew', 'remove-rule', 'clear-rules', 'revoke-client-tokens', 'end'] as const;

/** The one issue worth reporting for a step no kind accepted: the first of the kind it names. */
function stepIssue(input: unknown): string {
  const step = typeof input === 'object' && input !== null ? (input as { apply?: unknown; action?: unknown }) : {};
  const kind = step.apply ?? step.action;
  const schema = typeof kind === 'string' && Object.hasOwn(STEP_SCHEMAS, kind) ? STEP_SCHEMAS[kind as keyof typeof STEP_SCHEMAS] : undefined;
  if (schema === undefined) {
    return step.apply !== undefined
      ? `apply: must be one of ${APPLY_KINDS.join(', ')}`
      : `action: must be one of ${ACTION_KINDS.join(', ')} (or "apply": ${APPLY_KINDS.join(', ')})`;
  }
  const issue = schema.safeParse(input).error?.issues[0];
  if (issue === undefined) return 'invalid step';
  const field = issue.path.map(String).join('.');
  const reason = issue.code === 'unrecognized_keys' ? `unknown field "${issue.keys[0] ?? ''}"` : issue.message;
  return field === '' ? reason : `${field}: ${reason}`;
}

export const stepSchema = z.union(Object.values(STEP_SCHEMAS), { error: (issue) => stepIssue(issue.input) });

export const scenarioSchema = z
  .strictObject({
    $schema: z.string().optional(),
    name: z.string().regex(/^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$/, 'must be 1–64 letters, digits, ".", "_" or "-"'),
    description: z.string().max(1000).optional(),
    steps: z.array(stepSchema).min(1).max(MAX_STEPS),
  })
  .superRefine((scenario, ctx) => {
    const ends = scenario.steps.flatMap((step, index) => ('action' in step && step.action === 'end' ? [index] : []));
    if (ends.length > 1) ctx.addIssue({ code: 'custom', path: ['steps', ends[1] as number], message: 'a scenario has one end' });
    const end = ends[0];
    if (end === undefined) return;
    const endMs = durationMs((scenario.steps[end] as ScenarioStep).at);
    scenario.steps.forEach((step, index) => {
      if (durationMs(step.at) > endMs) ctx.addIssue({ code: 'custom', path: ['steps', index, 'at'], message: 'comes after the end step' });
    });
  });

export type Scenario = z.infer<typeof scenarioSchema>;
export type ScenarioStep = z.infer<typeof stepSchema>;
