import { FHIR_VERSIONS, type FhirVersion } from '../fhir/types.js';
import type { Sandbox } from '../sandbox.js';

/** What a script needs once the server listens: the port actually bound (for --port 0), URLs, tenants, clients. */
export interface ListeningDetails {
  port: number;
  host: string;
  urls: {
    base: string;
    token: string;
    admin: string;
    health: string;
    fhir: Partial<Record<FhirVersion, string>>;
  };
  /** `patients`: the total seeding plans (fixtures included); tenants loaded from --data give `dataFile` instead. */
  tenants: Array<{ id: string; name: string; fhirVersion: FhirVersion; patients?: number; dataFile?: string }>;
  /** The profile's clients and their secrets (none for a key-only client): sandbox credentials a test suite configures its app with. */
  clients: Array<{ id: string; secret?: string; privateKeyJwt?: true }>;
}

export function listeningDetails(sandbox: Sandbox, origin: string, port: number): ListeningDetails {
  return {
    port,
    host: sandbox.config.host,
    urls: {
      base: origin,
      token: `${origin}/oauth2/token`,
      admin: `${origin}/admin`,
      health: `${origin}/healthz`,
      fhir: Object.fromEntries(FHIR_VERSIONS.map((version) => [version, `${origin}/fhir/${version}`])),
    },
    tenants: sandbox.tenants.list().map((tenant) => ({
      id: tenant.id,
      name: tenant.name,
      fhirVersion: tenant.fhirVersion,
      ...(tenant.dataFile === undefined ? { patients: tenant.target } : { dataFile: tenant.dataFile }),
    })),
    clients: sandbox.config.profile.clients.map((client) => ({
      id: client.id,
      ...(client.secret === undefined ? {} : { secret: client.secret }),
      ...(client.jwks === undefined && client.jwksUrl === undefined ? {} : { privateKeyJwt: true as const }),
    })),
  };
}
