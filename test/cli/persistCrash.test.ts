import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { setImmediate as nextTurn } from 'node:timers/promises';
import { describe, expect, it } from 'vitest';
import { ROBUSTNESS_CLIENT, ROBUSTNESS_TENANTS, robustnessProfile } from '../../src/bench/robustnessProfile.js';
import { startSandboxProcess, type SandboxProcess } from '../../src/bench/sandboxProcess.js';
import { packageRoot } from '../../src/lib/packageRoot.js';

// Black-box: the built CLI (npm test builds dist/ first) with --data DIR --persist, killed and restarted.
const TENANT = ROBUSTNESS_TENANTS.stu3;

function oneTenantProfile(patients: number): Record<string, unknown> {
  const profile = robustnessProfile(patients);
  return { ...profile, tenants: (profile.tenants as Array<{ id: string }>).filter((tenant) => tenant.id === TENANT) };
}

async function token(sandbox: SandboxProcess): Promise<string> {
  const response = await fetch(`${sandbox.origin}/oauth2/token`, {
    method: 'POST',
    body: new URLSearchParams({ grant_type: 'client_credentials', client_id: ROBUSTNESS_CLIENT.id, client_secret: ROBUSTNESS_CLIENT.secret, scope: TENANT }),
  });
  expect(response.status).toBe(200);
  return ((await response.json()) as { access_token: string }).access_token;
}

async function fhir(sandbox: SandboxProcess, bearer: string, method: string, pathName: string, body?: unknown): Promise<Response> {
  return fetch(`${sandbox.origin}/fhir/stu3${pathName}`, {
    method,
    headers: { Authorization: `Bearer ${bearer}`, 'Content-Type': 'application/fhir+json' },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });
}

async function createPatient(sandbox: SandboxProcess, bearer: string, family: string): Promise<string> {
  const response = await fhir(sandbox, bearer, 'POST', '/Patient', { resourceType: 'Patient', name: [{ family }], gender: 'female' });
  expect(response.status).toBe(201);
  return ((await response.json()) as { id: string }).id;
}

async function persistenceState(sandbox: SandboxProcess): Promise<string> {
  return ((await (await fetch(`${sandbox.origin}/healthz`)).json()) as { persistence: string }).persistence;
}

async function until(probe: () => Promise<boolean>, timeoutMs = 15_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await probe())) {
    if (Date.now() > deadline) throw new Error('timed out');
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
}

describe('--persist across kill -9 and a failing disk (real processes)', () => {
  it('survives kill -9 in the middle of a write: the file is whole, deletes stay 410, no id is reused, temp files are cleaned', async () => {
    const dataDir = mkdtempSync(path.join(tmpdir(), 'sandbox-crash-'));
    const args = ['--data', dataDir, '--persist'];
    const tenantDir = path.join(dataDir, TENANT);
    const first = await startSandboxProcess({ profile: oneTenantProfile(300), args });
    let bearer = await token(first);
    const deletedId = await createPatient(first, bearer, 'Deleted');
    const keptId = await createPatient(first, bearer, 'Kept');
    expect((await fhir(first, bearer, 'DELETE', `/Patient/${deletedId}`)).status).toBe(204);
    await until(async () => (await persistenceState(first)) === 'saved');

    // Keep editing, and kill the process the moment a write is under way (its temporary file exists).
    const issued = [deletedId, keptId];
    let killedMidWrite = false;
    const editing = (async () => {
      while (first.exitCode === undefined) {
        const response = await fhir(first, bearer, 'POST', '/Patient', { resourceType: 'Patient', name: [{ family: 'Burst' }] }).catch(() => undefined);
        if (response?.status === 201) issued.push(((await response.json()) as { id: string }).id);
      }
    })();
    const deadline = Date.now() + 15_000;
    while (!killedMidWrite && Date.now() < deadline) {
      if (issued.length > 2 && readdirSync(tenantDir).some((name) => name.endsWith('.tmp'))) {
        process.kill(first.pid, 'SIGKILL');
        killedMidWrite = true;
      }
      await nextTurn();
    }
    expect(killedMidWrite).toBe(true);
    expect(await first.stop()).toBeNull();
    await editing;
    expect(readdirSync(tenantDir).some((name) => name.endsWith('.tmp'))).toBe(true);

    const second = await startSandboxProcess({ profile: oneTenantProfile(300), args });
    try {
      expect(readdirSync(tenantDir).filter((name) => name.endsWith('.tmp'))).toEqual([]);
      JSON.parse(readFileSync(path.join(tenantDir, 'db.json'), 'utf8'));
      bearer = await token(second);
      const gone = await fhir(second, bearer, 'GET', `/Patient/${deletedId}`);
      expect(gone.status).toBe(410);
      expect(((await gone.json()) as { resourceType: string }).resourceType).toBe('OperationOutcome');
      expect((await fhir(second, bearer, 'GET', `/Patient/${keptId}`)).status).toBe(200);
      // Ids acknowledged in the burst may or may not have reached the disk; none may be handed out again.
      const fresh = await createPatient(second, bearer, 'AfterCrash');
      expect(issued).not.toContain(fresh);
      expect(await second.stop()).toBe(0);
    } finally {
      await second.stop();
    }
  }, 90_000);

  it('retries writes on a read-only data folder until it is writable, and exits 3 naming the tenant when edits are lost', async () => {
    const dataDir = mkdtempSync(path.join(tmpdir(), 'sandbox-readonly-'));
    const tenantDir = path.join(dataDir, TENANT);
    const sandbox = await startSandboxProcess({ profile: oneTenantProfile(5), args: ['--data', dataDir, '--persist'] });
    try {
      await until(async () => (await persistenceState(sandbox)) === 'saved');
      const bearer = await token(sandbox);
      // Root ignores permission bits, so the folder is made unwritable by putting a file where it was.
      const breakDisk = () => {
        renameSync(tenantDir, `${tenantDir}.away`);
        writeFileSync(tenantDir, 'not a folder');
      };
      const repairDisk = () => {
        rmSync(tenantDir);
        renameSync(`${tenantDir}.away`, tenantDir);
      };
      breakDisk();
      const unsavedId = await createPatient(sandbox, bearer, 'WhileBroken');
      await until(async () => (await persistenceState(sandbox)) === 'failing');
      repairDisk();
      await until(async () => (await persistenceState(sandbox)) === 'saved');
      expect(readFileSync(path.join(tenantDir, 'db.json'), 'utf8')).toContain(`"id":"${unsavedId}"`);

      breakDisk();
      await createPatient(sandbox, bearer, 'Lost');
      await until(async () => (await persistenceState(sandbox)) === 'failing');
      expect(await sandbox.stop()).toBe(3);
      expect(sandbox.stderr()).toMatch(new RegExp(`edits of tenant ${TENANT} \\(.+\\) are lost: could not write ${tenantDir.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}`));
    } finally {
      await sandbox.stop();
    }
  }, 60_000);

  it('exits 2 on a corrupt db.json with one message naming file, line and column, and leaves the file as it was', () => {
    const dataDir = mkdtempSync(path.join(tmpdir(), 'sandbox-corrupt-'));
    const file = path.join(dataDir, TENANT, 'db.json');
    mkdirSync(path.dirname(file), { recursive: true });
    const truncated = '{\n"Patient": [\n{"resourceType":"Patient","id":"a"},\n{"resourceType":"Patient","id":"b"';
    writeFileSync(file, truncated);
    const profileFile = path.join(dataDir, 'profile.json');
    writeFileSync(profileFile, JSON.stringify(oneTenantProfile(5)));
    const result = spawnSync(process.execPath, [path.join(packageRoot, 'dist', 'cli.js'), '--headless', '--port', '0', '--profile', profileFile, '--data', dataDir, '--persist'], {
      encoding: 'utf8',
      timeout: 30_000,
    });
    expect(result.status).toBe(2);
    expect(result.stderr).toContain(`${file}:4:`);
    expect(result.stderr).toContain('truncated');
    expect(result.stderr).not.toMatch(/^\s+at /m);
    expect(readFileSync(file, 'utf8')).toBe(truncated);
  });
});
