import type { ControlPlane } from '../control/controlPlane.js';
import { patientName } from '../fhir/patientName.js';
import { FHIR_VERSIONS, type FhirVersion } from '../fhir/types.js';
import type { TenantDirectory } from '../tenants/tenantDirectory.js';
import { JWKS_PATH, TOKEN_PATH } from './oauthRouter.js';

/** What the front door knows that does not change while the sandbox runs. */
export interface FrontDoorFacts {
  softwareVersion: string;
  profileName: string;
  /** The first profile client: what a developer pastes into an app. */
  demoClient: { id: string; secret: string } | undefined;
  /** With an admin key the page neither shows the demo secret nor promises open admin links. */
  adminKeyRequired: boolean;
}

export interface ExamplePatient {
  id: string;
  given: string;
  family: string;
}

export interface FrontDoorTenant {
  id: string;
  name: string;
  hospital: string;
  fhirVersion: FhirVersion;
  baseUrl: string;
  patientCount: number;
  ready: boolean;
  examplePatients: ExamplePatient[];
  /** The raw record view of its patients (admin API). */
  recordsUrl: string;
  /** Copy and paste: get a token for this tenant, then search for its first example patient. */
  curl: string[];
}

/** The front page's content, served as JSON or rendered as HTML. */
export interface FrontDoor {
  name: 'patients-sandbox';
  version: string;
  profile: string;
  tokenUrl: string;
  jwksUrl: string;
  healthUrl: string;
  gateways: Array<{ fhirVersion: FhirVersion; baseUrl: string; metadataUrl: string }>;
  /** `secret` is null when an admin key protects the sandbox (it is in the profile file). */
  demoClient: { id: string; secret: string | null } | null;
  tenants: FrontDoorTenant[];
  admin: { keyRequired: boolean; links: Array<{ title: string; url: string }> };
}

const EXAMPLES_PER_TENANT = 3;
const ADMIN_LINKS: ReadonlyArray<[string, string]> = [
  ['Tenants', '/admin/tenants'],
  ['Clients', '/admin/clients'],
  ['Tokens', '/admin/tokens'],
  ['Fault rules and presets', '/admin/faults'],
  ['Recent requests', '/admin/requests?limit=50'],
  ['Health', '/healthz'],
];

export function frontDoorInfo(facts: FrontDoorFacts, control: ControlPlane, tenants: TenantDirectory, origin: string): FrontDoor {
  const demo = facts.demoClient;
  return {
    name: 'patients-sandbox',
    version: facts.softwareVersion,
    profile: facts.profileName,
    tokenUrl: `${origin}${TOKEN_PATH}`,
    jwksUrl: `${origin}${JWKS_PATH}`,
    healthUrl: `${origin}/healthz`,
    gateways: FHIR_VERSIONS.map((fhirVersion) => ({
      fhirVersion,
      baseUrl: `${origin}/fhir/${fhirVersion}`,
      metadataUrl: `${origin}/fhir/${fhirVersion}/metadata`,
    })),
    demoClient: demo === undefined ? null : { id: demo.id, secret: facts.adminKeyRequired ? null : demo.secret },
    tenants: control.listTenants(origin).map((summary) => {
      const examplePatients = examples(tenants, summary.id);
      return {
        id: summary.id,
        name: summary.name,
        hospital: summary.hospital,
        fhirVersion: summary.fhirVersion,
        baseUrl: summary.fhirBaseUrl,
        patientCount: summary.patientCount,
        ready: summary.ready,
        examplePatients,
        recordsUrl: `${origin}/admin/tenants/${encodeURIComponent(summary.id)}/records/Patient?_limit=20`,
        curl: curlLines(origin, facts, summary.id, summary.fhirBaseUrl, examplePatients[0]),
      };
    }),
    admin: { keyRequired: facts.adminKeyRequired, links: ADMIN_LINKS.map(([title, path]) => ({ title, url: `${origin}${path}` })) },
  };
}

function examples(tenants: TenantDirectory, tenantId: string): ExamplePatient[] {
  const store = tenants.get(tenantId)?.store;
  if (store === undefined) return [];
  return store.first('Patient', EXAMPLES_PER_TENANT).flatMap((patient) => {
    const name = patientName(patient);
    return name === undefined || patient.id === undefined ? [] : [{ id: patient.id, ...name }];
  });
}

function curlLines(origin: string, facts: FrontDoorFacts, tenantId: string, baseUrl: string, example: ExamplePatient | undefined): string[] {
  const client = facts.demoClient;
  const credentials = client === undefined ? 'CLIENT_ID:CLIENT_SECRET' : `${client.id}:${facts.adminKeyRequired ? 'CLIENT_SECRET' : client.secret}`;
  const search = example === undefined ? '-d _count=5' : `-d given=${shellWord(example.given.toLowerCase())} -d family=${shellWord(example.family.toLowerCase())}`;
  return [
    `TOKEN=$(curl -s -u ${shellWord(credentials)} -d grant_type=client_credentials -d scope=${tenantId} ${origin}${TOKEN_PATH} | jq -r .access_token)`,
    `curl -s -H "Authorization: Bearer $TOKEN" ${search} ${baseUrl}/Patient/_search`,
  ];
}

/** Quotes a value for a POSIX shell only when it needs it, so common lines stay readable. */
function shellWord(value: string): string {
  return /^[\w@%+=:,./-]+$/.test(value) ? value : `'${value.replaceAll("'", `'\\''`)}'`;
}
