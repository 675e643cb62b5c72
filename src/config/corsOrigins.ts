import * as z from 'zod';
import { ConfigError } from './configError.js';

/** Which web origins may call the public endpoints from a browser: any ("*"), none ("off"), or these. */
export type CorsOrigins = '*' | 'off' | readonly string[];

export const DEFAULT_CORS_ORIGINS: CorsOrigins = '*';

const ORIGIN_HINT = 'must be an origin such as http://localhost:3000 (scheme, host and port; no path)';

/** "http://localhost:3000" as the browser sends it in an Origin header, or undefined when it is not one. */
export function normalizeOrigin(value: string): string | undefined {
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    return undefined;
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') return undefined;
  return value.replace(/\/$/, '') === url.origin ? url.origin : undefined;
}

export const corsOriginsSchema = z
  .union([z.literal('*'), z.literal('off'), z.array(z.string().refine((value) => normalizeOrigin(value) !== undefined, ORIGIN_HINT)).min(1)])
  .describe('Web origins allowed to call the FHIR gateways, token endpoint, JWKS and discovery documents from a browser: "*", "off", or a list.');

/** `--cors` / env: "*", "off", or origins separated by commas. */
export function parseCorsOrigins(value: string, source: string): CorsOrigins {
  const trimmed = value.trim();
  if (trimmed === '*' || trimmed === 'off') return trimmed;
  const origins = trimmed.split(',').map((part) => part.trim()).filter((part) => part !== '');
  if (origins.length === 0) throw new ConfigError(source, 'give "*", "off" or a comma-separated list of origins');
  return origins.map((origin) => {
    const normalized = normalizeOrigin(origin);
    if (normalized === undefined) throw new ConfigError(source, `"${origin}" ${ORIGIN_HINT}`);
    return normalized;
  });
}
