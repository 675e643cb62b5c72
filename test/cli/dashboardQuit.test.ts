import { spawn } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { stripVTControlCharacters } from 'node:util';
import { describe, expect, it } from 'vitest';
import { packageRoot } from '../../src/lib/packageRoot.js';

const TENANT = '3f8e2a10-5b7c-4d21-9e6a-0c1b2d3e4f50';

/**
 * The built CLI on a real pseudo-terminal (util-linux `script`), so it shows the dashboard; `q` is
 * typed once the key bar is drawn. Bounded: the child is killed if it has not exited in 30 s.
 */
function runDashboardAndQuit(): Promise<{ code: number | null; output: string }> {
  const dir = mkdtempSync(path.join(tmpdir(), 'sandbox-quit-'));
  const profile = path.join(dir, 'tiny.json');
  writeFileSync(profile, JSON.stringify({ name: 'tiny', tenants: [{ id: TENANT, name: 'Tiny', hospital: 'Tiny (STU3)', fhirVersion: 'stu3', patients: 3 }], clients: [{ id: 'app', secret: 'app-secret-1', tenants: '*' }] }));
  const command = [process.execPath, path.join(packageRoot, 'dist', 'cli.js'), '--port', '0', '--host', '127.0.0.1', '--profile', profile].map((part) => `'${part}'`).join(' ');
  const child = spawn('script', ['-qfec', command, '/dev/null'], { env: { ...process.env, TERM: 'xterm-256color' }, stdio: ['pipe', 'pipe', 'pipe'] });
  let output = '';
  let typed = false;
  const onData = (chunk: Buffer) => {
    output += chunk.toString();
    if (!typed && stripVTControlCharacters(output).includes('q quit')) {
      typed = true;
      child.stdin.write('q');
    }
  };
  child.stdout.on('data', onData);
  child.stderr.on('data', onData);
  const killer = setTimeout(() => child.kill('SIGKILL'), 30_000);
  return new Promise((resolve) => {
    child.on('close', (code) => {
      clearTimeout(killer);
      resolve({ code, output: stripVTControlCharacters(output) });
    });
  });
}

describe('the dashboard on a real terminal', () => {
  it('q shuts down gracefully without claiming a SIGINT arrived', { timeout: 40_000 }, async () => {
    const { code, output } = await runDashboardAndQuit();
    expect(output).toContain('q quit');
    expect(output).toContain('patients-sandbox: stopping, finishing in-flight requests…');
    expect(output).not.toContain('SIGINT received');
    expect(code).toBe(0);
  });
});
