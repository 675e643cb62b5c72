import type { CapabilityDescription } from './versionAdapter.js';

/** The oauth-uris extension the partner specification requires under rest[0].security. */
export const OAUTH_URIS_EXTENSION = 'http://fhir-registry.smarthealthit.org/StructureDefinition/oauth-uris';

/** The security.service coding the partner specification shows, as DSTU2 and STU3 spell it. */
export const OAUTH_SECURITY_SERVICE = { system: 'http://hl7.org/fhir/restful-security-service', code: 'OAuth', display: 'OAuth' } as const;

/** What each version spells its own way in the parts every version shares. */
export interface CapabilitySpelling {
  /** How the version says "accepts batch Bundles at the base". */
  batchInteraction: { code: string; documentation?: string };
  /** The rest.security.service coding. */
  securityService: { system: string; code: string; display: string };
  /** DSTU2 and STU3 require `acceptUnknown`; R4 removed the element. */
  acceptUnknown: boolean;
  /** How an operation points at its OperationDefinition: a Reference up to STU3, a canonical URL from R4 on. */
  operationDefinition: (canonicalUrl: string) => unknown;
}

/**
 * The parts of Conformance (DSTU2) and CapabilityStatement (STU3, R4) that every version has;
 * each version file adds its resourceType and fhirVersion and says how it spells the rest.
 */
export function capabilityBody(capability: CapabilityDescription, spelling: CapabilitySpelling): Record<string, unknown> {
  return {
    status: 'active',
    date: capability.date,
    publisher: capability.softwareName,
    kind: 'instance',
    software: { name: capability.softwareName, version: capability.softwareVersion },
    implementation: { description: `${capability.softwareName} FHIR gateway`, url: capability.baseUrl },
    ...(spelling.acceptUnknown ? { acceptUnknown: 'no' } : {}),
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
          service: [{ coding: [{ ...spelling.securityService }], text: 'OAuth2 using client credentials' }],
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
        interaction: [spelling.batchInteraction],
        operation: capability.operations.map((operation) => ({ name: operation.name, definition: spelling.operationDefinition(operation.definition) })),
      },
    ],
  };
}
