const OAUTH_URIS = 'http://fhir-registry.smarthealthit.org/StructureDefinition/oauth-uris';

interface Extension {
  url?: unknown;
  valueUri?: unknown;
  extension?: unknown;
}

/**
 * The token URL a capability statement advertises in rest[0].security (the oauth-uris extension),
 * as the reference client finds it; undefined when the document has none.
 */
export function tokenUrlFromMetadata(metadata: unknown): string | undefined {
  const rest = (metadata as { rest?: unknown })?.rest;
  const security = Array.isArray(rest) ? (rest[0] as { security?: { extension?: unknown } } | undefined)?.security : undefined;
  const oauthUris = extensions(security?.extension).find((extension) => extension.url === OAUTH_URIS);
  const token = extensions(oauthUris?.extension).find((extension) => extension.url === 'token');
  return typeof token?.valueUri === 'string' ? token.valueUri : undefined;
}

function extensions(value: unknown): Extension[] {
  return Array.isArray(value) ? value.filter((item): item is Extension => typeof item === 'object' && item !== null) : [];
}
