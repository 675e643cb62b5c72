import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { packageRoot } from '../../src/lib/packageRoot.js';
import { tempDir } from '../cli/cliProcess.js';
import { isRunning, runActionStep, waitUntilExited } from './actionRunner.js';

interface WorkflowStep {
  id?: string;
  name?: string;
  if?: string;
  uses?: string;
  with?: Record<string, string>;
  env?: Record<string, string>;
  run?: string;
}

const workflow = parse(readFileSync(path.join(packageRoot, '.github', 'workflows', 'sandbox-example.yml'), 'utf8')) as {
  jobs: Record<string, { steps: WorkflowStep[] }>;
};

/** `${{ steps.<id>.outputs.<name> }}` from what earlier steps set; any other expression is a harness gap, not a pass. */
function evaluate(text: string, outputs: Record<string, Record<string, string>>): string {
  return text.replace(/\$\{\{\s*(.*?)\s*\}\}/g, (_whole, expression: string) => {
    const reference = /^steps\.([\w-]+)\.outputs\.([\w-]+)$/.exec(expression);
    const value = reference ? outputs[reference[1] as string]?.[reference[2] as string] : undefined;
    if (value === undefined) throw new Error(`cannot evaluate \${{ ${expression} }}`);
    return value;
  });
}

describe('the GitHub Actions recipe (.github/workflows/sandbox-example.yml) as written', () => {
  const started: number[] = [];
  afterEach(() => {
    for (const pid of started.splice(0)) if (isRunning(pid)) process.kill(pid, 'SIGKILL');
  });

  it('job "with-the-action": every step runs and passes, and the last one stops the sandbox', async () => {
    const workDir = tempDir('workflow');
    const outputs: Record<string, Record<string, string>> = {};
    const steps = workflow.jobs['with-the-action']?.steps ?? [];
    expect(steps.some((step) => step.uses === './')).toBe(true);
    for (const step of steps) {
      if (step.if === 'failure()') {
        expect(step.uses ?? step.run, `${step.name}: only known actions on failure`).toMatch(/^actions\/upload-artifact@/);
        for (const value of Object.values(step.with ?? {})) evaluate(value, outputs);
        continue;
      }
      if (step.uses?.startsWith('actions/checkout@')) continue;
      if (step.uses === './') {
        const result = await runActionStep('main', { workDir, with: step.with ?? {} });
        if (result.outputs.pid) started.push(Number(result.outputs.pid));
        expect(result.exitCode, result.stdout).toBe(0);
        outputs[step.id as string] = result.outputs;
        continue;
      }
      if (step.uses !== undefined) throw new Error(`the harness does not run ${step.uses}`);
      const env = Object.fromEntries(Object.entries(step.env ?? {}).map(([name, value]) => [name, evaluate(value, outputs)]));
      // GitHub's default shell on Linux runners.
      const result = spawnSync('bash', ['--noprofile', '--norc', '-eo', 'pipefail', '-c', step.run ?? ''], {
        cwd: workDir,
        env: { ...process.env, ...env },
        encoding: 'utf8',
        timeout: 30_000,
      });
      expect(result.status, `${step.name}: ${result.stdout}${result.stderr}`).toBe(0);
    }
    const pid = Number(outputs.sandbox?.pid);
    expect(await waitUntilExited(pid)).toBe(true);
  });
});
