import { spawn } from 'node:child_process';
import { generateKeyPairSync } from 'node:crypto';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { XMLParser } from 'fast-xml-parser';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { systemClock } from '../../src/lib/clock.js';
import { packageRoot } from '../../src/lib/packageRoot.js';
import { DEMO_CLIENT, R4_TENANT, STU3_TENANT } from '../support/testSandbox.js';
import { startCheckTarget, type CheckTarget } from './support/checkTarget.js';
import { reportValidator } from './support/reportSchema.js';

// Black-box: the built CLI as a user runs it (npm test builds dist/ first), piped, so no terminal.
const cli = path.join(packageRoot, 'dist', 'cli.js');
const ANSI = /\x1b\[/;

interface Ran {
  status: number | null;
  stdout: string;
  stderr: string;
}

/** Runs the CLI without blocking this process, which serves the sandbox it checks. */
function run(args: string[], env: Record<string, string> = {}): Promise<Ran> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [cli, ...args], { env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    const timer = setTimeout(() => child.kill(), 60_000);
    child.on('error', reject);
    child.on('close', (status) => {
      clearTimeout(timer);
      resolve({ status, stdout, stderr });
    });
  });
}

/** A loopback port where nothing listens (bound, then released). */
async function deadPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

// Each run starts a Node process that loads the whole CLI: seconds apiece on a busy machine.
describe('patients-sandbox check (the built CLI)', { timeout: 60_000 }, () => {
  let target: CheckTarget;
  let credentials: string[];
  let base: string;

  beforeAll(async () => {
    target = await startCheckTarget();
    base = `${target.server.origin}/fhir/stu3`;
    credentials = ['--client-id', DEMO_CLIENT.id, '--client-secret', DEMO_CLIENT.secret, '--tenant', STU3_TENANT];
  });
  afterEach(async () => {
    await target.admin('DELETE', 'faults');
    await target.admin('PATCH', 'tokens/policy', { lifetimeSeconds: 3600 });
  });
  afterAll(() => target.close());

  it('prints the table grouped by stage and exits 0 when every required check passes; piped, so no colours', async () => {
    const result = await run(['check', base, ...credentials]);
    expect(result.stderr).toBe('');
    expect(result.status).toBe(0);
    expect(result.stdout).not.toMatch(ANSI);
    const lines = result.stdout.split('\n');
    expect(lines.filter((line) => /^[A-Z]/.test(line))).toEqual(['Discovery', 'Token', "The client's calls", 'Data', 'HTTP', 'Timing', 'Slowest calls']);
    expect(result.stdout).toMatch(/^ {2}✓ discovery\.metadata +HTTP 200 without a token: CapabilityStatement$/m);
    expect(result.stdout).toMatch(/^ {2}✓ discovery\.smart-configuration +token_endpoint http:\/\/127\.0\.0\.1:\d+\/oauth2\/token, as metadata says$/m);
    expect(result.stdout).toMatch(/^\d+ checks: \d+ passed, 0 failed, 0 warnings, 0 skipped · \d+ calls in \d+\.\d s · PASSED$/m);
  });

  it('checks the R4 gateway the same way: every check passes, validated as R4', async () => {
    const result = await run(['check', `${target.server.origin}/fhir/r4`, '--client-id', DEMO_CLIENT.id, '--client-secret', DEMO_CLIENT.secret, '--tenant', R4_TENANT]);
    expect(result.stderr).toBe('');
    expect(result.status).toBe(0);
    expect(result.stdout).toMatch(/^target {2}http:\/\/127\.0\.0\.1:\d+\/fhir\/r4 \(R4, fhirVersion 4\.0\.1\)$/m);
    expect(result.stdout).toMatch(/^ {2}✓ data\.valid-resources +\d+ bodies valid R4$/m);
    expect(result.stdout).toMatch(/^\d+ checks: \d+ passed, 0 failed, 0 warnings, 0 skipped · \d+ calls in \d+\.\d s · PASSED$/m);
  });

  it('--version stu3 is the check flag, not the program version; --format json prints the documented report', async () => {
    const result = await run(['check', base, ...credentials, '--version', 'stu3', '--format', 'json']);
    expect(result.status).toBe(0);
    const report = JSON.parse(result.stdout) as { target: { fhirVersion: string } };
    const validate = reportValidator();
    expect(validate(report), JSON.stringify(validate.errors)).toBe(true);
    expect(report.target.fhirVersion).toBe('stu3');
  });

  it('exits 1 when a required check fails, and the text says what, why and which request', async () => {
    await target.admin('POST', 'faults', { name: 'cli/token-down', match: { interaction: 'token' }, effect: { error: { status: 503 } } });
    const result = await run(['check', base, ...credentials]);
    expect(result.status).toBe(1);
    expect(result.stdout).toMatch(/^ {2}✗ token\.form-post +HTTP 503 temporarily_unavailable: .+$/m);
    expect(result.stdout).toMatch(/^ {2}! token\.basic-auth +HTTP 503/m);
    expect(result.stdout).toMatch(/^ +why: POST grant_type=client_credentials, client_id, client_secret and scope=<tenant id> answers access_token/m);
    expect(result.stdout).toMatch(/^ +sent: POST http:\/\/127\.0\.0\.1:\d+\/oauth2\/token → HTTP 503$/m);
    expect(result.stdout).toMatch(/^ {2}- calls\.patient-read +no token: token\.form-post failed$/m);
    expect(result.stdout).toMatch(/· FAILED$/m);
  });

  it('--format junit --out FILE writes JUnit XML with one testcase per check; a warning is skipped, and a failure with --strict', async () => {
    await target.admin('PATCH', 'tokens/policy', { lifetimeSeconds: 30 });
    const dir = mkdtempSync(path.join(tmpdir(), 'check-junit-'));
    const lenient = await run(['check', base, ...credentials, '--format', 'junit', '--out', path.join(dir, 'lenient.xml')]);
    expect(lenient.status).toBe(0);
    expect(lenient.stdout).toBe('');
    expect(lenient.stderr).toMatch(/1 warning, 0 skipped · .* · PASSED\nreport \(junit\) written to .*lenient\.xml\n$/);
    const strict = await run(['check', base, ...credentials, '--format', 'junit', '--out', path.join(dir, 'strict.xml'), '--strict']);
    expect(strict.status).toBe(1);

    const parse = (file: string) =>
      new XMLParser({ ignoreAttributes: false, attributeNamePrefix: '', isArray: (name) => ['testsuite', 'testcase'].includes(name) }).parse(readFileSync(path.join(dir, file), 'utf8')) as {
        testsuites: { tests: string; failures: string; skipped: string; testsuite: Array<{ name: string; tests: string; testcase: Array<{ name: string; classname: string; time: string; failure?: { message: string }; skipped?: { message: string } }> }> };
      };
    const lenientXml = parse('lenient.xml');
    const strictXml = parse('strict.xml');
    const suites = lenientXml.testsuites.testsuite;
    expect(suites.map((suite) => suite.name)).toEqual(['discovery', 'token', 'calls', 'data', 'http', 'timing'].map((stage) => `patients-sandbox check: ${stage}`));
    const cases = suites.flatMap((suite) => suite.testcase);
    expect(Number(lenientXml.testsuites.tests)).toBe(cases.length);
    expect(cases.length).toBeGreaterThan(40);
    for (const testCase of cases) {
      expect(testCase.name).toMatch(/^(discovery|token|calls|data|http|timing)\.[a-z0-9-]+: /);
      expect(testCase.classname).toMatch(/^patients-sandbox\.check\.(discovery|token|calls|data|http|timing)$/);
      expect(Number(testCase.time)).toBeGreaterThanOrEqual(0);
    }
    const lifetime = (xml: typeof lenientXml) => xml.testsuites.testsuite.flatMap((suite) => suite.testcase).find((testCase) => testCase.name.startsWith('token.lifetime:'));
    expect(lifetime(lenientXml)).toMatchObject({ skipped: { message: 'warning (recommended check failed): expires_in 30 s: shorter than 60 s' } });
    expect(lifetime(lenientXml)?.failure).toBeUndefined();
    expect(lifetime(strictXml)).toMatchObject({ failure: { message: 'expires_in 30 s: shorter than 60 s' } });
    expect(lenientXml.testsuites).toMatchObject({ failures: '0', skipped: '1' });
    expect(strictXml.testsuites).toMatchObject({ failures: '1', skipped: '0' });
  });

  it('exits 2 with a clear message when nothing listens at the URL', async () => {
    const port = await deadPort();
    const result = await run(['check', `http://127.0.0.1:${port}/fhir/stu3`, ...credentials]);
    expect(result.status).toBe(2);
    expect(result.stdout).toBe('');
    expect(result.stderr).toBe(`patients-sandbox check: cannot reach http://127.0.0.1:${port}/fhir/stu3/metadata: connection refused: nothing listens there (ECONNREFUSED)\n`);
  });

  it('takes the secret from PATIENTS_SANDBOX_CHECK_CLIENT_SECRET, so it stays out of shell history', async () => {
    const result = await run(['check', base, '--client-id', DEMO_CLIENT.id, '--tenant', STU3_TENANT, '--format', 'json'], { PATIENTS_SANDBOX_CHECK_CLIENT_SECRET: DEMO_CLIENT.secret });
    expect(result.status).toBe(0);
    expect(result.stdout).not.toContain(DEMO_CLIENT.secret);
  });
});

// The sandbox on real time here: the checker stamps its assertions with the real clock.
describe('patients-sandbox check --private-key (the built CLI)', { timeout: 60_000 }, () => {
  let target: CheckTarget;
  let dir: string;
  const clientId = 'cli-backend';
  const kid = 'cli-backend-key-1';

  beforeAll(async () => {
    target = await startCheckTarget(systemClock);
    const { privateKey, publicKey } = generateKeyPairSync('ec', { namedCurve: 'P-384' });
    await target.admin('POST', 'clients', { id: clientId, jwks: { keys: [{ ...publicKey.export({ format: 'jwk' }), kid, alg: 'ES384' }] }, tenants: '*' });
    dir = mkdtempSync(path.join(tmpdir(), 'check-key-'));
    writeFileSync(path.join(dir, 'client.pem'), privateKey.export({ format: 'pem', type: 'pkcs8' }));
    writeFileSync(path.join(dir, 'client.jwk'), JSON.stringify({ ...privateKey.export({ format: 'jwk' }), kid }));
  });
  afterAll(() => target.close());

  it('signs its token requests with a PEM key and --kid: every check passes on R4, exit 0', async () => {
    const result = await run(['check', `${target.server.origin}/fhir/r4`, '--client-id', clientId, '--private-key', path.join(dir, 'client.pem'), '--kid', kid, '--tenant', R4_TENANT, '--scope', 'system/*.read']);
    expect(result.stderr).toBe('');
    expect(result.status).toBe(0);
    expect(result.stdout).toContain(`as      client ${clientId} (private_key_jwt, kid ${kid}) · scope ${R4_TENANT} system/*.read`);
    expect(result.stdout).toMatch(/^ {2}✓ token\.client-assertion +HTTP 200: a Bearer JWT, expires_in \d+ s$/m);
    expect(result.stdout).toMatch(/^ {2}✓ token\.assertion-replay +HTTP 401, error "invalid_client": /m);
    expect(result.stdout).toMatch(/^\d+ checks: \d+ passed, 0 failed, 0 warnings, 0 skipped · \d+ calls in \d+\.\d s · PASSED$/m);
  });

  it('with a JWK file the kid is its own; a kid the partner does not know fails token.client-assertion, exit 1', async () => {
    const jwk = await run(['check', `${target.server.origin}/fhir/stu3`, '--client-id', clientId, '--private-key', path.join(dir, 'client.jwk'), '--tenant', STU3_TENANT]);
    expect(jwk.status).toBe(0);
    const wrongKid = await run(['check', `${target.server.origin}/fhir/stu3`, '--client-id', clientId, '--private-key', path.join(dir, 'client.pem'), '--kid', 'key-9', '--tenant', STU3_TENANT]);
    expect(wrongKid.status).toBe(1);
    expect(wrongKid.stdout).toMatch(/^ {2}✗ token\.client-assertion +HTTP 401 invalid_client: client_assertion: no key with kid "key-9" is registered for client cli-backend$/m);
    expect(wrongKid.stdout).toMatch(/· FAILED$/m);
  });
});
