import * as z from 'zod';
import { CRITERION_IDS, DEFAULT_REQUIRED } from './criteria.js';

/** The profile's `report` section: which criteria must pass, and what the grader assumes about the client. */
export const reportSettingsSchema = z
  .object({
    required: z
      .array(z.enum(CRITERION_IDS))
      .default([...DEFAULT_REQUIRED])
      .describe('Criteria that fail the report (and the JUnit file) when they fail; the others are graded but informative.'),
    clientTimeoutSeconds: z
      .number()
      .positive()
      .max(600)
      .default(30)
      .describe('The timeout the client under test states: a hung request must be abandoned within it.'),
    backoff: z
      .object({
        maxRetries: z.number().int().min(1).max(100).default(5).describe('Most retries of one failing call before the client pauses.'),
        pauseSeconds: z.number().positive().max(3600).default(5).describe('A gap this long between attempts counts as a pause: retrying starts over.'),
      })
      .strict()
      .default({ maxRetries: 5, pauseSeconds: 5 }),
  })
  .strict();

export type ReportSettings = z.infer<typeof reportSettingsSchema>;

export const DEFAULT_REPORT_SETTINGS: ReportSettings = reportSettingsSchema.parse({});
