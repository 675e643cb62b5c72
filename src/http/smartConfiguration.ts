import { ASSERTION_ALGORITHMS } from '../auth/clientKey.js';
import type { VersionAdapter } from '../fhir/versions/versionAdapter.js';

/** The URLs a discovery document points at, as this request reaches the sandbox (or --public-url). */
export interface SmartConfigurationUrls {
  tokenUrl: string;
  authorizeUrl: string;
  jwksUrl: string;
}

/**
 * A gateway's `.well-known/smart-configuration` (SMART App Launch 2.0, "Conformance"): how to get a
 * token here. The same token URL as the metadata's oauth-uris extension; backend services only
 * (client_credentials with a secret or a signed assertion), so no PKCE or launch capabilities.
 */
export function smartConfiguration(adapter: VersionAdapter, urls: SmartConfigurationUrls): Record<string, unknown> {
  return {
    token_endpoint: urls.tokenUrl,
    // Advertised as the metadata's oauth-uris do; it answers unsupported_response_type.
    authorization_endpoint: urls.authorizeUrl,
    jwks_uri: urls.jwksUrl,
    grant_types_supported: ['client_credentials'],
    token_endpoint_auth_methods_supported: ['client_secret_basic', 'client_secret_post', 'private_key_jwt'],
    token_endpoint_auth_signing_alg_values_supported: [...ASSERTION_ALGORITHMS],
    scopes_supported: scopesSupported(adapter.resourceTypes),
    capabilities: ['client-confidential-symmetric', 'client-confidential-asymmetric', 'permission-v1', 'permission-v2'],
  };
}

/** Every type at once and each served type alone, for reading (v1 and v2 spellings) and for everything. */
function scopesSupported(resourceTypes: readonly string[]): string[] {
  const perType = resourceTypes.flatMap((type) => [`system/${type}.read`, `system/${type}.rs`]);
  return ['system/*.read', 'system/*.write', 'system/*.*', 'system/*.rs', 'system/*.cud', 'system/*.cruds', ...perType];
}
