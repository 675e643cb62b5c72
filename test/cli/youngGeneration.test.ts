import { spawnSync } from 'node:child_process';
import { chmodSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { packageRoot } from '../../src/lib/packageRoot.js';
import { cliPath, tempDir } from './cliProcess.js';

const SEMI_SPACE_FLAG = '--max-semi-space-size=32';

describe('the young generation the CLI starts with', () => {
  it('started as npx and npm bin links start it (through its #! line), node gets the semi-space flag and the user\'s NODE_OPTIONS still apply', () => {
    const dir = tempDir('young-gen');
    // A preload given through NODE_OPTIONS reports the flags node was started with.
    const preload = path.join(dir, 'reportFlags.mjs');
    writeFileSync(preload, "process.stderr.write(`execArgv=${JSON.stringify(process.execArgv)}\\n`);\n");
    // npm installs a bin executable; the build does not.
    chmodSync(cliPath, 0o755);
    const result = spawnSync(cliPath, ['--version'], { encoding: 'utf8', env: { ...process.env, NODE_OPTIONS: `--import=${preload}` }, timeout: 30_000 });
    expect(result.status, result.stderr).toBe(0);
    expect(result.stdout.trim()).toMatch(/^\d+\.\d+\.\d+/);
    const reported = /execArgv=(.*)/.exec(result.stderr)?.[1];
    expect(reported, result.stderr).toBeDefined();
    expect(JSON.parse(reported as string)).toContain(SEMI_SPACE_FLAG);
  });

  it('the Docker image passes the same flag to node', () => {
    const dockerfile = readFileSync(path.join(packageRoot, 'Dockerfile'), 'utf8');
    expect(dockerfile).toContain(`ENTRYPOINT ["node", "${SEMI_SPACE_FLAG}", "dist/cli.js"]`);
  });

  it('npm start, the first command of the README, passes the same flag to node', () => {
    const manifest = JSON.parse(readFileSync(path.join(packageRoot, 'package.json'), 'utf8')) as { scripts: Record<string, string> };
    expect(manifest.scripts['start']).toBe(`node ${SEMI_SPACE_FLAG} dist/cli.js`);
  });
});
