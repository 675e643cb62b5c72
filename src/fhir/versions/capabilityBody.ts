import type { CapabilityDescription } from './versionAdapter.js';

/** The oauth-uris extension and security.service coding the partner specification requires. */
export const OAUTH_URIS_EXTENSION = 'http://fhir-registry.smarthealthit.org/StructureDefinition/oauth-uris';
export const RESTFUL_SECURITY_SERVICE = 'http://hl7.org/fhir/restful-security-service';

/**
 * The parts of Conformance (DSTU2) and CapabilityStatement (STU3) that are spelled the same in both;
 * each version file adds its resourceType and the elements that differ, and names how it spells
 * "accepts batch Bundles at the base" and how an operation points at its OperationDefinition
 * (a Reference up to STU3, a canonical URL from R4 on).
 */
export function capabilityBody(
  capability: CapabilityDescription,
  batchInteraction: { code: string; documentation?: string },
  operationDefinition: (canonicalUrl: string) => unknown,
): Record<string, unknown> {
  return {
    status: 'active',
    date: capability.date,
    publisher: capability.softwareName,
    kind: 'instance',
    software: { name: capability.softwareName, version: capability.softwareVersion },
    implementation: { description: `${capability.softwareName} FHIR gateway`, url: capability.baseUrl },
    acceptUnknown: 'no',
    format: [...capability.formats],
    rest: [
      {
        mode: 'server',
        security: {
          extension: [
            {
              url: OAUTH_URIS_EXTENSION,
              extension: [
                { url: 'token', valueUri: capability.tokenUrl },
                { url: 'authorize', valueUri: capability.authorizeUrl },
              ],
            },
          ],
          service: [{ coding: [{ system: RESTFUL_SECURITY_SERVICE, code: 'OAuth', display: 'OAuth' }], text: 'OAuth2 using client credentials' }],
          description: 'App-to-app OAuth 2.0 client credentials; the token scope carries the tenant id.',
        },
        resource: capability.resources.map((resource) => ({
          type: resource.type,
          interaction: resource.interactions.map((code) => ({ code })),
          versioning: capability.readOnly ? 'versioned' : 'versioned-update',
          readHistory: false,
          updateCreate: !capability.readOnly,
          searchParam: resource.searchParams.map((param) => ({ name: param.name, type: param.type, documentation: param.documentation })),
        })),
        interaction: [batchInteraction],
        operation: capability.operations.map((operation) => ({ name: operation.name, definition: operationDefinition(operation.definition) })),
      },
    ],
  };
}
