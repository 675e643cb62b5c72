import { Writable } from 'node:stream';
import { Command, CommanderError } from 'commander';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { checkCommand } from '../../src/cli/checkCommand.js';
import { DEMO_CLIENT, STU3_TENANT } from '../support/testSandbox.js';
import { startCheckTarget, type CheckTarget } from './support/checkTarget.js';

const ANSI_COLOUR = /\x1b\[\d+m/;

/** A stream that keeps what is written, and says whether it is a terminal. */
class Captured extends Writable {
  text = '';
  constructor(readonly isTTY: boolean) {
    super();
  }
  override _write(chunk: Buffer, _encoding: string, done: () => void): void {
    this.text += chunk.toString();
    done();
  }
}

/** The `check` subcommand in this process, on captured streams: what a terminal or a pipe would show. */
async function runCommand(args: string[], options: { tty: boolean; env?: Record<string, string> }) {
  const stdout = new Captured(options.tty);
  const stderr = new Captured(options.tty);
  let exitCode: number | undefined;
  const program = new Command().exitOverride().configureOutput({ writeErr: (text) => stderr.write(text), writeOut: (text) => stdout.write(text) });
  checkCommand(program, (code) => (exitCode = code), { stdout, stderr, env: options.env ?? {} });
  try {
    await program.parseAsync(['node', 'patients-sandbox', 'check', ...args]);
  } catch (error) {
    if (!(error instanceof CommanderError)) throw error;
    exitCode = 2;
  }
  return { exitCode, stdout: stdout.text, stderr: stderr.text };
}

describe('check on a terminal and in a pipe', () => {
  let target: CheckTarget;
  let args: string[];

  beforeAll(async () => {
    target = await startCheckTarget();
    args = [`${target.server.origin}/fhir/stu3`, '--client-id', DEMO_CLIENT.id, '--client-secret', DEMO_CLIENT.secret, '--tenant', STU3_TENANT];
  });
  afterAll(() => target.close());

  it('on a terminal: progress on stderr, rewritten in place and cleared at the end; colours in the table', async () => {
    const result = await runCommand(args, { tty: true });
    expect(result.exitCode).toBe(0);
    const updates = result.stderr.split('\r\x1b[2K').filter((part) => part !== '');
    expect(updates[0]).toMatch(/checking… 1 done · ✓ discovery\.metadata/);
    expect(updates.length).toBeGreaterThan(40);
    expect(result.stderr.endsWith('\r\x1b[2K')).toBe(true);
    expect(result.stdout).toMatch(ANSI_COLOUR);
    expect(result.stdout).toContain('\x1b[32m✓\x1b[39m discovery.metadata');
  });

  it('NO_COLOR turns colours off, on a terminal too', async () => {
    const result = await runCommand(args, { tty: true, env: { NO_COLOR: '1' } });
    expect(result.exitCode).toBe(0);
    expect(result.stdout).not.toMatch(ANSI_COLOUR);
    expect(result.stderr).not.toMatch(ANSI_COLOUR);
    expect(result.stdout).toContain('  ✓ discovery.metadata');
  });

  it('in a pipe: no progress and no colours', async () => {
    const result = await runCommand(args, { tty: false });
    expect(result.exitCode).toBe(0);
    expect(result.stderr).toBe('');
    expect(result.stdout).not.toMatch(/\x1b/);
  });

  it.each([
    [['--client-id', 'a', '--client-secret', 'b', '--tenant', 't', '--patient', 'p', '--search', 'family=x'], '--patient: choose the patient either by id (--patient) or by search (--search), not both'],
    [['--client-id', 'a', '--client-secret', 'b', '--tenant', 't', '--timeout', 'soon'], '--timeout: must be a positive number of seconds, got "soon"'],
    [['--client-id', 'a', '--tenant', 't'], '--client-secret: is required (or set PATIENTS_SANDBOX_CHECK_CLIENT_SECRET, or use --private-key)'],
    [['--client-id', 'a', '--client-secret', 'b', '--tenant', 't', '--search', 'family'], '--search: "family" is not a search such as "family=black&given=ruth"'],
    [['--client-id', 'a', '--client-secret', 'b', '--tenant', 't', '--kid', 'k1'], '--kid: names the key of --private-key; give that file too'],
    [['--client-id', 'a', '--client-secret', 'b', '--private-key', 'key.pem', '--tenant', 't'], '--private-key: authenticate one way: with --client-secret or with --private-key, not both'],
    [['--client-id', 'a', '--private-key', '/nonexistent/key.pem', '--kid', 'k1', '--tenant', 't'], "--private-key: cannot read /nonexistent/key.pem: ENOENT: no such file or directory, open '/nonexistent/key.pem'"],
    [['--client-id', 'a', '--client-secret', 'b', '--tenant', 't', '--scope', ' '], '--scope: must name at least one scope, e.g. "system/*.read"'],
  ])('exits 2 on a usage error, before sending anything: %j', async (flags, message) => {
    const result = await runCommand(['http://127.0.0.1:9/fhir/stu3', ...flags], { tty: false });
    expect(result).toEqual({ exitCode: 2, stdout: '', stderr: `patients-sandbox check: ${message}\n` });
  });

  it('exits 2 on a URL that is not one, and on flags commander refuses', async () => {
    const url = await runCommand(['ftp://partner.test/fhir', '--client-id', 'a', '--client-secret', 'b', '--tenant', 't'], { tty: false });
    expect(url).toEqual({ exitCode: 2, stdout: '', stderr: 'patients-sandbox check: base URL: ftp://partner.test/fhir is not an http(s) URL\n' });
    const version = await runCommand(['http://127.0.0.1:9/fhir/stu3', '--client-id', 'a', '--client-secret', 'b', '--tenant', 't', '--version', 'r5'], { tty: false });
    expect(version.exitCode).toBe(2);
    expect(version.stderr).toContain("argument 'r5' is invalid");
    const missing = await runCommand(['http://127.0.0.1:9/fhir/stu3', '--client-id', 'a'], { tty: false });
    expect(missing.exitCode).toBe(2);
    expect(missing.stderr).toContain("required option '--tenant <id>' not specified");
  });
});
