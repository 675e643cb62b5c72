import { readFileSync } from 'node:fs';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { SMALL_STU3_TENANT, tempDir, writeSmallProfile } from '../cli/cliProcess.js';
import { actionManifest, isRunning, runActionStep, waitUntilExited } from './actionRunner.js';

describe('the GitHub action (action.yml), its scripts run as a runner runs them', () => {
  const started: number[] = [];
  afterEach(() => {
    for (const pid of started.splice(0)) if (isRunning(pid)) process.kill(pid, 'SIGKILL');
  });

  it('declares a main step and a post step that runs only when the job failed', () => {
    const manifest = actionManifest();
    expect(manifest.runs).toMatchObject({ using: 'node24', main: 'action/start.mjs', post: 'action/saveRequests.mjs', 'post-if': 'failure()' });
    for (const output of ['base-url', 'token-url', 'dstu2-url', 'stu3-url', 'admin-url', 'port', 'client-id', 'client-secret', 'tenant-ids', 'pid', 'log-file']) {
      expect(manifest.outputs).toHaveProperty(output);
    }
  });

  it('starts the sandbox headless, waits for /healthz, sets the outputs; the post step saves /admin/requests', async () => {
    const workDir = tempDir('action');
    const profile = writeSmallProfile(workDir);
    const main = await runActionStep('main', { workDir, with: { profile, port: '0', 'admin-key': 'ci-admin-key' } });
    const pid = Number(main.outputs.pid);
    if (pid > 0) started.push(pid);
    expect(main.exitCode).toBe(0);

    const { outputs } = main;
    const port = Number(outputs.port);
    expect(port).toBeGreaterThan(0);
    expect(outputs).toMatchObject({
      'base-url': `http://127.0.0.1:${port}`,
      'token-url': `http://127.0.0.1:${port}/oauth2/token`,
      'stu3-url': `http://127.0.0.1:${port}/fhir/stu3`,
      'dstu2-url': `http://127.0.0.1:${port}/fhir/dstu2`,
      'admin-url': `http://127.0.0.1:${port}/admin`,
      'client-id': 'small-client',
      'client-secret': 'small-secret-1',
      'tenant-ids': `${SMALL_STU3_TENANT},c4d5e6f7-8a9b-4c0d-9e1f-2a3b4c5d6e70`,
    });
    expect(JSON.parse(outputs.tenants as string)).toEqual([
      { id: SMALL_STU3_TENANT, name: 'North', fhirVersion: 'stu3', patients: 6 },
      { id: 'c4d5e6f7-8a9b-4c0d-9e1f-2a3b4c5d6e70', name: 'Lake', fhirVersion: 'dstu2', patients: 3 },
    ]);
    // Ready means ready: every tenant is seeded when the step returns.
    expect((await fetch(outputs['health-url'] as string)).status).toBe(200);

    const token = (await (
      await fetch(outputs['token-url'] as string, {
        method: 'POST',
        body: new URLSearchParams({ grant_type: 'client_credentials', client_id: 'small-client', client_secret: 'small-secret-1', scope: SMALL_STU3_TENANT }),
      })
    ).json()) as { access_token: string };
    const missing = await fetch(`${outputs['stu3-url']}/Patient/no-such-patient`, { headers: { authorization: `Bearer ${token.access_token}` } });
    expect(missing.status).toBe(404);

    const post = await runActionStep('post', { workDir, state: main.state });
    expect(post.exitCode).toBe(0);
    const saved = JSON.parse(readFileSync(path.join(workDir, 'patients-sandbox-requests.json'), 'utf8')) as Array<{ path: string; status: number }>;
    expect(saved).toContainEqual(expect.objectContaining({ path: '/fhir/stu3/Patient/no-such-patient', status: 404 }));
    expect(post.stdout).toContain('404 GET /fhir/stu3/Patient/no-such-patient');

    // The pid is the sandbox's own node process: SIGTERM is a graceful stop.
    process.kill(pid, 'SIGTERM');
    expect(await waitUntilExited(pid)).toBe(true);
    expect(readFileSync(outputs['log-file'] as string, 'utf8')).toContain('"event":"listening"');
  });

  it('fails the step with the sandbox\'s own one-line message when it cannot start', async () => {
    const workDir = tempDir('action');
    const main = await runActionStep('main', { workDir, with: { profile: 'no-such-profile' } });
    expect(main.exitCode).toBe(1);
    expect(main.stdout).toMatch(/^::error::patients-sandbox exited \(2\) before its "listening" line:%0Apatients-sandbox: --profile no-such-profile: no such profile/m);
    expect(main.outputs).toEqual({});
  });

  it('the post step does not fail the job again when the sandbox is gone', async () => {
    const workDir = tempDir('action');
    const post = await runActionStep('post', { workDir, state: { 'admin-url': 'http://127.0.0.1:9/admin', 'admin-key': '', 'requests-file': 'requests.json' } });
    expect(post.exitCode).toBe(0);
    expect(post.stdout).toContain("::warning::could not save the sandbox's requests");
  });
});
