import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { SMALL_STU3_TENANT, runCliSync as run, tempDir, writeSmallProfile } from './cliProcess.js';

const dbJson = (dir: string, tenant: string) => readFileSync(path.join(dir, tenant, 'db.json'), 'utf8');

describe('subcommands honour their own flags', () => {
  it('seed --profile and seed --seed are the subcommand\'s, not swallowed by the server options', () => {
    const dir = tempDir('subcommand');
    const profile = writeSmallProfile(dir);
    const [profileDefault, seeded7, seeded7Again, seededBefore] = ['a', 'b', 'c', 'd'].map((name) => path.join(dir, name)) as [string, string, string, string];

    expect(run(['seed', '--profile', profile, '--out', profileDefault]).status).toBe(0);
    expect(run(['seed', '--profile', profile, '--seed', '7', '--out', seeded7]).status).toBe(0);
    expect(run(['seed', '--seed', '7', '--profile', profile, '--out', seeded7Again]).status).toBe(0);
    // The small profile has 4 generated patients plus the STU3 fixtures: the default profile would have 250.
    const patients = (JSON.parse(dbJson(profileDefault, SMALL_STU3_TENANT)) as { Patient: unknown[] }).Patient;
    expect(patients.length).toBe(4 + 2);
    expect(dbJson(seeded7, SMALL_STU3_TENANT)).not.toBe(dbJson(profileDefault, SMALL_STU3_TENANT));
    expect(dbJson(seeded7Again, SMALL_STU3_TENANT)).toBe(dbJson(seeded7, SMALL_STU3_TENANT));

    // Written before the subcommand's name, the same flags still reach it.
    expect(run(['--profile', profile, '--seed', '7', 'seed', '--out', seededBefore]).status).toBe(0);
    expect(dbJson(seededBefore, SMALL_STU3_TENANT)).toBe(dbJson(seeded7, SMALL_STU3_TENANT));
  });

  it('seed with an unknown profile exits 2 and writes nothing', () => {
    const out = path.join(tempDir('subcommand'), 'out');
    const result = run(['seed', '--profile', 'nosuch', '--out', out]);
    expect(result.status).toBe(2);
    expect(result.stderr).toContain('--profile nosuch: no such profile');
    expect(existsSync(out)).toBe(false);
  });

  it('refuses a server option typed before a subcommand that does not take it', () => {
    const result = run(['--port', '3', 'seed', '--out', path.join(tempDir('subcommand'), 'out')]);
    expect(result.status).toBe(2);
    expect(result.stderr).toContain("option '--port' is for starting the server");
  });

  it('"help" lists the subcommands; "help seed" shows the subcommand\'s flags', () => {
    const help = run(['help']);
    expect(help.status).toBe(0);
    expect(help.stdout).toMatch(/Commands:[\s\S]*seed[\s\S]*profile-schema/);
    const seedHelp = run(['help', 'seed']);
    expect(seedHelp.status).toBe(0);
    expect(seedHelp.stdout).toContain('Usage: patients-sandbox seed');
    expect(seedHelp.stdout).toContain('--out <dir>');
  });

  it('a mistyped subcommand gets commander\'s suggestion and exit 2', () => {
    const result = run(['sed', '--out', 'x']);
    expect(result.status).toBe(2);
    expect(result.stderr).toContain("unknown command 'sed'");
    expect(result.stderr).toContain('Did you mean seed?');
  });
});
