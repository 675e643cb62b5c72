import { FHIR_VERSIONS } from '../fhir/types.js';
import type { Sandbox } from '../sandbox.js';

/** What a developer needs to point a client at the sandbox: URLs, tenants, demo credentials. */
export function banner(sandbox: Sandbox, origin: string): string {
  const { profile } = sandbox.config;
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
    ...profile.tenants.map(
      (tenant) => `    ${tenant.id}  ${tenant.fhirVersion.toUpperCase().padEnd(5)}  ${String(tenant.patients).padStart(6)} patients  ${tenant.name} — ${tenant.hospital}`,
    ),
    '',
    '  Clients:',
    ...profile.clients.map((client) => `    client_id=${client.id}  client_secret=${client.secret}  tenants=${client.tenants === '*' ? 'all' : client.tenants.join(',')}`),
    '',
    '  Try:',
    `    curl -s -u ${profile.clients[0]?.id}:${profile.clients[0]?.secret} -d grant_type=client_credentials -d scope=${profile.tenants[0]?.id} ${origin}/oauth2/token`,
  ];
  return `${lines.join('\n')}\n`;
}
