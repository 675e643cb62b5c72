import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { packageRoot } from '../../src/lib/packageRoot.js';

/** What `npm pack` would publish (npm test has built dist/ already, so no scripts are run). */
function packedFiles(): string[] {
  const result = spawnSync('npm', ['pack', '--dry-run', '--json', '--ignore-scripts'], { cwd: packageRoot, encoding: 'utf8', timeout: 60_000 });
  expect(result.status, result.stderr).toBe(0);
  const [pack] = JSON.parse(result.stdout) as Array<{ files: Array<{ path: string }> }>;
  return (pack?.files ?? []).map((file) => file.path);
}

const readme = readFileSync(path.join(packageRoot, 'README.md'), 'utf8');

describe('the published package', () => {
  const files = packedFiles();

  it('leaves out source maps and the benchmark, and keeps the CLI, health check, license and changelog', () => {
    expect(files.filter((file) => file.endsWith('.map'))).toEqual([]);
    expect(files.filter((file) => file.startsWith('dist/bench/'))).toEqual([]);
    for (const file of ['dist/cli.js', 'dist/healthcheck.js', 'profiles/default.json', 'LICENSE', 'CHANGELOG.md', 'README.md', 'docs/partner-contract.md']) {
      expect(files).toContain(file);
    }
  });

  it('the license file matches package.json', () => {
    const manifest = JSON.parse(readFileSync(path.join(packageRoot, 'package.json'), 'utf8')) as { license: string };
    expect(manifest.license).toBe('MIT');
    expect(readFileSync(path.join(packageRoot, 'LICENSE'), 'utf8')).toMatch(/^MIT License\n/);
  });

  it('the README and docs link only to files inside the package, never outside the repository', () => {
    const documents = ['README.md', ...files.filter((file) => file.startsWith('docs/') && file.endsWith('.md'))];
    for (const document of documents) {
      const text = readFileSync(path.join(packageRoot, document), 'utf8');
      expect(text, document).not.toMatch(/\.\.\/shared|\(\.\.\//);
      for (const [, target] of text.matchAll(/\]\(([^)#\s]+)[^)]*\)/g)) {
        expect(target, `${document} links to ${target}`).not.toMatch(/^[a-z]+:/i);
        expect(files, `${document} links to ${target}`).toContain(path.posix.join(path.posix.dirname(document), target as string));
      }
    }
  });

  it('the README keeps its two commands', () => {
    expect(readme).toContain('npm install && npm start');
    expect(readme).toContain('npm install && npm test');
  });
});
