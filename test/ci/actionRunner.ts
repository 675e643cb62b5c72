import { spawn } from 'node:child_process';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { parse } from 'yaml';
import { packageRoot } from '../../src/lib/packageRoot.js';

/** What the repository's action.yml declares, as far as a runner needs it. */
interface ActionManifest {
  inputs: Record<string, { default?: string }>;
  outputs: Record<string, unknown>;
  runs: { using: string; main: string; post?: string; 'post-if'?: string };
}

export function actionManifest(): ActionManifest {
  return parse(readFileSync(path.join(packageRoot, 'action.yml'), 'utf8')) as ActionManifest;
}

export interface ActionStepResult {
  exitCode: number | null;
  stdout: string;
  outputs: Record<string, string>;
  state: Record<string, string>;
}

/**
 * Runs the action's main or post script as a GitHub runner would: every declared input as INPUT_<NAME>
 * (its default unless `with` sets it), GITHUB_OUTPUT and GITHUB_STATE files to append to, and for the
 * post step the main step's state as STATE_<name>.
 */
export async function runActionStep(
  step: 'main' | 'post',
  options: { with?: Record<string, string>; state?: Record<string, string>; workDir: string; env?: Record<string, string> },
): Promise<ActionStepResult> {
  const manifest = actionManifest();
  const script = step === 'main' ? manifest.runs.main : manifest.runs.post;
  if (script === undefined) throw new Error(`action.yml has no ${step} script`);
  const outputFile = path.join(options.workDir, `github-output-${step}`);
  const stateFile = path.join(options.workDir, `github-state-${step}`);
  writeFileSync(outputFile, '');
  writeFileSync(stateFile, '');
  const inputs = Object.fromEntries(
    Object.entries(manifest.inputs).map(([name, declared]) => [`INPUT_${name.toUpperCase()}`, options.with?.[name] ?? declared.default ?? '']),
  );
  const state = Object.fromEntries(Object.entries(options.state ?? {}).map(([name, value]) => [`STATE_${name}`, value]));
  const child = spawn(process.execPath, [path.join(packageRoot, script)], {
    cwd: options.workDir,
    env: {
      ...process.env,
      ...inputs,
      ...state,
      GITHUB_ACTION_PATH: packageRoot,
      GITHUB_OUTPUT: outputFile,
      GITHUB_STATE: stateFile,
      GITHUB_WORKSPACE: options.workDir,
      RUNNER_TEMP: options.workDir,
      ...options.env,
    },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  let stdout = '';
  child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
  const exitCode = await new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  return { exitCode, stdout, outputs: readCommandFile(outputFile), state: readCommandFile(stateFile) };
}

/** The runner's `name=value` / `name<<DELIMITER` file format. */
export function readCommandFile(file: string): Record<string, string> {
  const values: Record<string, string> = {};
  if (!existsSync(file)) return values;
  const lines = readFileSync(file, 'utf8').split('\n');
  for (let index = 0; index < lines.length; index++) {
    const line = lines[index] as string;
    const heredoc = /^([^=<]+)<<(.+)$/.exec(line);
    if (heredoc) {
      const [, name, delimiter] = heredoc as unknown as [string, string, string];
      const end = lines.indexOf(delimiter, index + 1);
      values[name] = lines.slice(index + 1, end).join('\n');
      index = end;
    } else if (line.includes('=')) {
      values[line.slice(0, line.indexOf('='))] = line.slice(line.indexOf('=') + 1);
    }
  }
  return values;
}

/** Alive and not a zombie (an orphan whose exit nobody has reaped yet has finished all the same). */
export function isRunning(pid: number): boolean {
  try {
    process.kill(pid, 0);
  } catch {
    return false;
  }
  const stat = `/proc/${pid}/stat`;
  return !existsSync(stat) || !/^\d+ \(.*\) Z/.test(readFileSync(stat, 'utf8'));
}

export async function waitUntilExited(pid: number, timeoutMs = 20_000): Promise<boolean> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (!isRunning(pid)) return true;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  return !isRunning(pid);
}
