import { createWriteStream } from 'node:fs';
import { open, rename, rm } from 'node:fs/promises';
import { once } from 'node:events';

/**
 * Writes a file so that a crash at any moment leaves either the old file or the new one, never a
 * mix: the chunks go to a temporary file beside it, which is flushed to disk and then renamed over
 * the target (rename is atomic within a filesystem).
 */
export async function writeFileAtomically(file: string, chunks: Iterable<string | Buffer>): Promise<void> {
  const temporary = `${file}.${process.pid}.${Date.now()}.tmp`;
  const out = createWriteStream(temporary, { flags: 'wx' });
  try {
    for (const chunk of chunks) {
      if (!out.write(chunk)) await once(out, 'drain');
    }
    await new Promise<void>((resolve, reject) => {
      out.once('error', reject);
      out.end(() => resolve());
    });
    await flushToDisk(temporary);
    await rename(temporary, file);
  } catch (error) {
    out.destroy();
    await rm(temporary, { force: true });
    throw error;
  }
}

async function flushToDisk(file: string): Promise<void> {
  const handle = await open(file, 'r+');
  try {
    await handle.sync();
  } finally {
    await handle.close();
  }
}
