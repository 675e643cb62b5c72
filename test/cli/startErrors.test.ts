import { mkdirSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:net';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { SMALL_DSTU2_TENANT, SMALL_STU3_TENANT, runCliSync as run, tempDir, writeSmallProfile } from './cliProcess.js';

/** A user's mistake is one line on stderr: no stack frames, no shutdown chatter. */
function expectOneLineMessage(stderr: string): void {
  const lines = stderr.trim().split('\n');
  expect(lines).toHaveLength(1);
  expect(stderr).not.toMatch(/^\s+at /m);
  expect(stderr).not.toContain('received');
}

describe('a start that cannot work says why in one line and exits 2', () => {
  let blocker: Server | undefined;
  afterEach(() => new Promise<void>((resolve) => (blocker ? blocker.close(() => resolve()) : resolve())));

  it('port already in use: names the port and suggests --port N or --port 0', async () => {
    blocker = createServer();
    const port = await new Promise<number>((resolve) => blocker?.listen(0, '127.0.0.1', () => resolve((blocker?.address() as { port: number }).port)));
    const profile = writeSmallProfile(tempDir('port'));
    for (const [args, env] of [
      [['--headless', '--profile', profile, '--port', String(port)], {}],
      [['--headless', '--profile', profile], { PATIENTS_SANDBOX_PORT: String(port) }],
    ] as const) {
      const result = run([...args], env);
      expect(result.status).toBe(2);
      expect(result.stderr).toContain(`port ${port} on 127.0.0.1 is already in use`);
      expect(result.stderr).toContain('--port 0');
      expect(result.stderr).not.toContain('EADDRINUSE');
      expectOneLineMessage(result.stderr);
    }
  });

  it('broken profile JSON: names the file, line and column', () => {
    const dir = tempDir('json');
    const file = path.join(dir, 'broken.json');
    writeFileSync(file, '{\n  "name": "x",\n  "tenants": [\n    { "id": 1, }\n  ]\n}\n');
    const result = run(['--headless', '--profile', file]);
    expect(result.status).toBe(2);
    expect(result.stderr).toContain(`${file}: is not valid JSON: line 4, column 16`);
    expectOneLineMessage(result.stderr);
  });

  it('a fixture the profile names that does not exist: names the profile file and field, before listening', () => {
    const dir = tempDir('fixture');
    const profile = writeSmallProfile(dir, {
      tenants: [{ id: SMALL_DSTU2_TENANT, name: 'Lake', hospital: 'Lake (DSTU2)', fhirVersion: 'dstu2', patients: 2, fixtures: ['patients', 'nosuch'] }],
    });
    const result = run(['--headless', '--port', '0', '--profile', profile]);
    expect(result.status).toBe(2);
    expect(result.stderr).toContain(`${profile}: tenants[0].fixtures[1]: fixture "nosuch" not found`);
    expect(result.stdout).toBe('');
    expectOneLineMessage(result.stderr);
    const seeded = run(['seed', '--profile', profile, '--out', path.join(dir, 'out')]);
    expect(seeded.status).toBe(2);
    expect(seeded.stderr).toContain('tenants[0].fixtures[1]');
  });

  it('a fixture file with a broken field: names that file and field, and the profile field that lists it', () => {
    const dir = tempDir('fixture');
    writeFileSync(path.join(dir, 'bad-patient.json'), JSON.stringify({ id: 'bad-patient', name: { given: ['Ann'], family: 'Lee' }, gender: 'sometimes', birthDate: '1970-01-01' }));
    const profile = writeSmallProfile(dir, {
      tenants: [{ id: SMALL_DSTU2_TENANT, name: 'Lake', hospital: 'Lake (DSTU2)', fhirVersion: 'dstu2', patients: 2, fixtures: ['./bad-patient.json'] }],
    });
    const result = run(['--headless', '--port', '0', '--profile', profile]);
    expect(result.status).toBe(2);
    expect(result.stderr).toContain(`${path.join(dir, 'bad-patient.json')}: gender`);
    expect(result.stderr).toContain(`listed by ${profile} in tenants[0].fixtures`);
    expectOneLineMessage(result.stderr);
  });

  it('a signing key file that is missing or not a key, and --data naming a file: one line each, exit 2', () => {
    const dir = tempDir('files');
    const profile = writeSmallProfile(dir);
    const notAKey = path.join(dir, 'not-a-key.pem');
    writeFileSync(notAKey, 'hello\n');
    const cases = [
      [['--signing-key', path.join(dir, 'missing.pem')], `${path.join(dir, 'missing.pem')}: cannot be read (ENOENT)`],
      [['--signing-key', notAKey], `${notAKey}: is not a PKCS#8 PEM EC P-256 private key`],
      [['--data', profile], `--data: ${profile} is a file`],
    ] as const;
    for (const [flags, message] of cases) {
      const result = run(['--headless', '--port', '0', '--profile', profile, ...flags]);
      expect(result.status).toBe(2);
      expect(result.stderr).toContain(message);
      expectOneLineMessage(result.stderr);
    }
  });

  it('a data file found broken while seeding: one line naming the file, exit 2, after the server has started', () => {
    const dir = tempDir('data');
    const profile = writeSmallProfile(dir);
    // The first tenant's file: loading it may fail before the server even listens.
    mkdirSync(path.join(dir, 'data', SMALL_STU3_TENANT), { recursive: true });
    writeFileSync(path.join(dir, 'data', SMALL_STU3_TENANT, 'db.json'), '{ "Patient": 5 }\n');
    const result = run(['--headless', '--port', '0', '--profile', profile, '--data', path.join(dir, 'data')]);
    expect(result.status).toBe(2);
    const messages = result.stderr.split('\n').filter((line) => line.startsWith('patients-sandbox:'));
    expect(messages).toHaveLength(1);
    expect(messages[0]).toContain(path.join(dir, 'data', SMALL_STU3_TENANT, 'db.json'));
    expect(result.stderr).not.toMatch(/^\s+at /m);
    expect(result.stderr).not.toContain('SIGTERM');
    // It had started: the listening line is there, so a script waiting for it is not left hanging.
    expect(result.stdout).toContain('"event":"listening"');
  });
});
