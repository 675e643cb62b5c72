import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { expect } from 'vitest';
import { packageRoot } from '../../src/lib/packageRoot.js';
import { tempDir } from './cliProcess.js';

// Module hooks (they run on their own thread) that append the URL of every module Node loads, ES module or
// CommonJS, to the file they are given: require.cache alone misses ES modules such as faker's.
const RECORDING_HOOKS = `
  import { appendFileSync } from 'node:fs';
  let file;
  export function initialize(data) { file = data.file; }
  export async function load(url, context, nextLoad) {
    appendFileSync(file, url + '\\n');
    return nextLoad(url, context);
  }
`;

/**
 * Every file a Node process loads, as paths relative to the package, while it runs `args` (a script and
 * its arguments) to its end, which must be with `exitCode`.
 */
export function filesLoadedBy(args: readonly string[], exitCode = 0): string[] {
  const file = path.join(tempDir('loaded-files'), 'loaded.txt');
  const register = `
    import { register } from 'node:module';
    register(${JSON.stringify(`data:text/javascript,${encodeURIComponent(RECORDING_HOOKS)}`)}, { data: { file: ${JSON.stringify(file)} } });
  `;
  const result = spawnSync(process.execPath, ['--import', `data:text/javascript,${encodeURIComponent(register)}`, ...args], {
    encoding: 'utf8',
    cwd: packageRoot,
    timeout: 60_000,
  });
  expect(result.status, result.stderr).toBe(exitCode);
  return readFileSync(file, 'utf8')
    .split('\n')
    .filter((url) => url.startsWith('file://'))
    .map((url) => path.relative(packageRoot, new URL(url).pathname));
}

/** The npm packages among loaded files ("@scope/name" or "name"). */
export function packagesAmong(files: readonly string[]): Set<string> {
  const packages = new Set<string>();
  for (const file of files) {
    const match = /node_modules\/((?:@[^/]+\/)?[^/]+)\//.exec(file.slice(file.lastIndexOf('node_modules/')));
    if (match?.[1] !== undefined) packages.add(match[1]);
  }
  return packages;
}
