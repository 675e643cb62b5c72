import { mkdir } from 'node:fs/promises';
import type { SandboxConfig } from '../config/sandboxConfig.js';
import { dbJsonPath, ndjsonDir, writeDbJson, writeNdjson } from '../data/files/storeFiles.js';
import { EventBus } from '../events/eventBus.js';
import { systemClock } from '../lib/clock.js';
import { planSeeding, seedOptions, seedTenants } from '../tenants/seedTenants.js';
import { TenantDirectory } from '../tenants/tenantDirectory.js';

/**
 * `patients-sandbox seed --out DIR`: generates every tenant of the profile and writes, per tenant,
 * `db.json` (json-server's shape; `--data DIR` starts from it) and `ndjson/<Type>.ndjson` (FHIR Bulk
 * Data files a real FHIR server can import).
 */
export async function seedCommand(config: SandboxConfig, outDir: string, log: (line: string) => void): Promise<void> {
  const events = new EventBus();
  events.subscribe((event) => {
    if (event.type === 'seed-progress' && event.done === event.total) log(`generated ${event.total} patients for tenant ${event.tenantId}`);
  });
  // Upstream tenants have no generated data: `record` snapshots them.
  for (const tenant of config.profile.tenants) {
    if (tenant.upstream !== undefined) log(`skipped tenant ${tenant.id} (${tenant.name}): it is served by ${tenant.upstream.baseUrl}; use "record" to snapshot it`);
  }
  const tenants = new TenantDirectory(config.profile.tenants.filter((tenant) => tenant.upstream === undefined), systemClock);
  // Always generate: an export must not depend on files a --data folder happens to hold.
  await seedTenants(planSeeding(tenants, { ...seedOptions(config, events, systemClock), dataDir: undefined }));
  for (const tenant of tenants.list()) {
    const dbFile = dbJsonPath(outDir, tenant.id);
    await mkdir(ndjsonDir(outDir, tenant.id), { recursive: true });
    await writeDbJson(tenant.store, dbFile);
    const ndjson = await writeNdjson(tenant.store, ndjsonDir(outDir, tenant.id));
    log(`wrote ${dbFile} and ${ndjson.length} NDJSON files (${tenant.fhirVersion.toUpperCase()}, ${tenant.name})`);
  }
}
