import { spawnSync } from 'node:child_process';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { packageRoot } from '../../src/lib/packageRoot.js';
import { filesLoadedBy } from './loadedFiles.js';

/**
 * Which dependencies a headless start loads: the dashboard (ink, react) and the records view
 * (json-server, Express) load only when used, and faker's English build alone.
 */
function packagesLoadedBy(script: string): string[] {
  const probe = `
    import { createRequire } from 'node:module';
    await import(${JSON.stringify(path.join(packageRoot, 'dist', script))});
    const loaded = new Set();
    for (const file of Object.keys(createRequire(import.meta.url).cache)) {
      const match = /node_modules\\/((?:@[^/]+\\/)?[^/]+)\\//.exec(file.slice(file.lastIndexOf('node_modules/')));
      if (match) loaded.add(match[1]);
    }
    process.stdout.write(JSON.stringify([...loaded]));
  `;
  const result = spawnSync(process.execPath, ['--input-type=module', '-e', probe], { encoding: 'utf8', cwd: packageRoot });
  expect(result.status, result.stderr).toBe(0);
  return JSON.parse(result.stdout) as string[];
}

describe('a headless start loads only what it uses', () => {
  it('serving headless loads neither react (the dashboard) nor json-server nor express (the records view)', () => {
    const loaded = packagesLoadedBy(path.join('cli', 'serve.js'));
    expect(loaded).toContain('koa');
    expect(loaded).not.toContain('react');
    expect(loaded).not.toContain('json-server');
    expect(loaded).not.toContain('express');
  });
});

describe("faker's English build alone", () => {
  it('serving headless loads no other faker locale (the package index imports all sixty of them)', () => {
    const serve = path.join(packageRoot, 'dist', 'cli', 'serve.js');
    const faker = filesLoadedBy(['--input-type=module', '-e', `await import(${JSON.stringify(serve)});`]).filter((file) => file.includes('node_modules/@faker-js/faker/'));
    expect(faker).toContain('node_modules/@faker-js/faker/dist/locale/en.js');
    expect(faker).not.toContain('node_modules/@faker-js/faker/dist/index.js');
    expect(faker.filter((file) => /\/dist\/(?:locale\/)?de[._-]/.test(file))).toEqual([]);
  });
});

describe('schemas on first use', () => {
  it('serving headless reads no FHIR JSON schema: a generated tenant validates nothing before a write', () => {
    const serve = path.join(packageRoot, 'dist', 'cli', 'serve.js');
    const schemas = filesLoadedBy(['--input-type=module', '-e', `await import(${JSON.stringify(serve)});`]).filter((file) => file.endsWith('.schema.json'));
    expect(schemas).toEqual([]);
  });
});

describe('undici on first upstream', () => {
  it('serving headless loads no undici: only an upstream tenant needs the HTTP client', () => {
    const serve = path.join(packageRoot, 'dist', 'cli', 'serve.js');
    const files = filesLoadedBy(['--input-type=module', '-e', `await import(${JSON.stringify(serve)});`]);
    expect(files.filter((file) => file.includes('node_modules/undici/'))).toEqual([]);
  });
});
