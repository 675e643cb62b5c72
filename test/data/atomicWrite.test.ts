import { mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { writeFileAtomically } from '../../src/data/files/atomicWrite.js';

describe('writeFileAtomically', () => {
  it('replaces the file with the new content', async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'atomic-'));
    const file = path.join(dir, 'db.json');
    writeFileSync(file, 'old');
    await writeFileAtomically(file, ['n', 'e', 'w']);
    expect(readFileSync(file, 'utf8')).toBe('new');
    expect(readdirSync(dir)).toEqual(['db.json']);
  });

  it('leaves the previous file whole when the write dies midway', async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'atomic-'));
    const file = path.join(dir, 'db.json');
    writeFileSync(file, '{"Patient": []}');
    function* dying(): Generator<string> {
      yield '{"Patient": [';
      yield 'x'.repeat(1_000_000);
      throw new Error('simulated crash');
    }
    await expect(writeFileAtomically(file, dying())).rejects.toThrow('simulated crash');
    expect(readFileSync(file, 'utf8')).toBe('{"Patient": []}');
    expect(readdirSync(dir)).toEqual(['db.json']);
  });
});
