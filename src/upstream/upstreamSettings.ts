import * as z from 'zod';

/**
 * How a tenant reaches the real FHIR server behind it: where it is, how the sandbox authenticates to
 * it (the client's own token is the sandbox's, never forwarded), and how long to wait. The profile
 * and the admin API both take this shape.
 */

const httpUrl = z
  .url({ protocol: /^https?$/, error: 'must be an http(s) URL' })
  // One spelling of the base, so URLs in answers compare and rewrite exactly.
  .transform((url) => url.replace(/\/+$/, ''));

export const upstreamAuthSchema = z
  .discriminatedUnion('type', [
    z.object({ type: z.literal('none') }).strict(),
    z.object({ type: z.literal('bearer'), token: z.string().min(1).describe('A static token sent as "Authorization: Bearer <token>".') }).strict(),
    z.object({ type: z.literal('basic'), username: z.string().min(1), password: z.string() }).strict(),
    z
      .object({
        type: z.literal('client-credentials'),
        tokenUrl: httpUrl.describe("The upstream's OAuth 2.0 token endpoint."),
        clientId: z.string().min(1),
        clientSecret: z.string().min(1),
        scope: z.string().min(1).optional().describe('Sent as the token request\'s "scope" when given.'),
        authMethod: z
          .enum(['client_secret_basic', 'client_secret_post'])
          .default('client_secret_basic')
          .describe('How the client authenticates at the token endpoint.'),
      })
      .strict(),
  ])
  .describe('How the sandbox authenticates to the upstream: none, a static bearer token, HTTP Basic, or client credentials (tokens cached until they expire).');

export const upstreamConnectionSchema = z
  .object({
    baseUrl: httpUrl.describe('The upstream FHIR base URL, e.g. https://hapi.example.test/fhir.'),
    auth: upstreamAuthSchema.default({ type: 'none' }),
    timeoutMs: z
      .number()
      .int()
      .min(100)
      .max(600_000)
      .default(30_000)
      .describe('Longest wait for the upstream to start answering (then 504), and between two pieces of its answer.'),
  })
  .strict();

/** The profile's form: a connection, plus recording, which only the person starting the sandbox may switch on. */
export const upstreamProfileSchema = upstreamConnectionSchema
  .extend({
    record: z.string().min(1).optional().describe('Record what this tenant serves into this folder (relative to the profile), as <folder>/<tenant id>/db.json.'),
    mask: z.boolean().optional().describe('Mask names, identifiers and contact details in the recording (deterministic for a seed).'),
  })
  .strict();

export type UpstreamAuth = z.infer<typeof upstreamAuthSchema>;
export type UpstreamConnection = z.infer<typeof upstreamConnectionSchema>;
export type UpstreamProfile = z.infer<typeof upstreamProfileSchema>;
