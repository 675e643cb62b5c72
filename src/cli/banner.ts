import { demoClientOf } from '../config/demoClient.js';
import type { ClientProfile } from '../config/profileSchema.js';
import { FHIR_VERSIONS } from '../fhir/types.js';
import type { Sandbox } from '../sandbox.js';
import type { Tenant } from '../tenants/tenantDirectory.js';

/** What a developer needs to point a client at the sandbox: URLs, tenants, demo credentials. */
export function banner(sandbox: Sandbox, origin: string): string {
  const { profile } = sandbox.config;
  const demo = demoClientOf(profile);
  const lines = [
    `patients-sandbox ${sandbox.version} — profile "${profile.name}", seed ${sandbox.config.seed}`,
    '',
    `  Token URL     ${origin}/oauth2/token`,
    ...FHIR_VERSIONS.map(
      (version) => `  ${`${version.toUpperCase()} base`.padEnd(14)}${`${origin}/fhir/${version}`.padEnd(origin.length + 14)}(metadata: ${origin}/fhir/${version}/metadata)`,
    ),
    `  Admin API     ${origin}/admin/tenants   health: ${origin}/healthz`,
    '',
    '  Tenants (put the ID in the token request\'s scope):',
    ...sandbox.tenants.list().map((tenant) => `    ${tenant.id}  ${tenant.fhirVersion.toUpperCase().padEnd(5)}  ${patients(tenant)}  ${tenant.name} — ${tenant.hospital}`),
    '',
    '  Clients:',
    ...profile.clients.map((client) => `    client_id=${client.id}  ${credentialsOf(client)}  tenants=${client.tenants === '*' ? 'all' : client.tenants.join(',')}`),
    ...(demo === undefined
      ? []
      : ['', '  Try:', `    curl -s -u ${demo.id}:${demo.secret} -d grant_type=client_credentials -d scope=${profile.tenants[0]?.id} ${origin}/oauth2/token`]),
  ];
  return `${lines.join('\n')}\n`;
}

/** The tenant's total as seeding plans it (fixtures included), the figure /admin/tenants and the dashboard reach. */
function patients(tenant: Tenant): string {
  return tenant.dataFile === undefined ? `${String(tenant.target).padStart(6)} patients` : `from ${tenant.dataFile}`;
}

function credentialsOf(client: ClientProfile): string {
  const keys = client.jwks !== undefined || client.jwksUrl !== undefined ? 'private_key_jwt' : undefined;
  return [client.secret === undefined ? undefined : `client_secret=${client.secret}`, keys].filter(Boolean).join('  ');
}
