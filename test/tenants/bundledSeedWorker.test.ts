import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { SEED_WORKER_FILE } from '../../src/tenants/seedWorker/seedOnWorker.js';

/**
 * The seeding worker as the build leaves it (scripts/bundle-cli.mjs): one file, so each worker's start
 * reads and compiles it instead of resolving the generators' and the store's modules one by one.
 */
describe('the built seeding worker', () => {
  it('is one file: it imports Node built-ins only, nothing of dist/ and no package', () => {
    const source = readFileSync(SEED_WORKER_FILE, 'utf8');
    const specifiers = [...source.matchAll(/\b(?:from|import\(|require\()\s*(["'])([\w@./:-]+)\1/g)].map((match) => match[2]);
    expect(specifiers).toContain('node:worker_threads');
    expect(specifiers.filter((specifier) => !specifier?.startsWith('node:'))).toEqual([]);
  });
});
