import { closeSync, createWriteStream, fsyncSync, openSync, readdirSync, renameSync, rmSync, writeSync } from 'node:fs';
import { open, rename, rm } from 'node:fs/promises';
import { once } from 'node:events';
import path from 'node:path';

/**
 * Writes a file so that a crash at any moment leaves either the old file or the new one, never a
 * mix: the chunks go to a temporary file beside it, which is flushed to disk and then renamed over
 * the target (rename is atomic within a filesystem).
 */
export async function writeFileAtomically(file: string, chunks: Iterable<string | Buffer>): Promise<void> {
  const temporary = temporaryName(file, process.pid, Date.now());
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

/** The same guarantee, synchronously, for a small file that must be on disk before the caller goes on. */
export function writeFileAtomicallySync(file: string, text: string): void {
  const temporary = temporaryName(file, process.pid, Date.now());
  try {
    const fd = openSync(temporary, 'wx');
    try {
      writeSync(fd, text);
      fsyncSync(fd);
    } finally {
      closeSync(fd);
    }
    renameSync(temporary, file);
  } catch (error) {
    rmSync(temporary, { force: true });
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

/** `<file>.<pid>.<ms>.tmp`: the writer's pid tells a stale file (its process is gone) from one being written. */
function temporaryName(file: string, pid: number, ms: number): string {
  return `${file}.${pid}.${ms}.tmp`;
}

/**
 * Removes the temporary files that writes of `file` left behind when their process was killed
 * mid-write (kill -9, power loss). Files of a process still alive are kept: another sandbox may be
 * writing them right now. Returns the names removed.
 */
export function removeStaleTemporaryFiles(file: string): string[] {
  const dir = path.dirname(file);
  const pattern = new RegExp(`^${escapeRegExp(path.basename(file))}\\.(\\d+)\\.\\d+\\.tmp$`);
  let names: string[];
  try {
    names = readdirSync(dir);
  } catch {
    return [];
  }
  const removed: string[] = [];
  for (const name of names) {
    const pid = pattern.exec(name)?.[1];
    if (pid === undefined || belongsToAnotherLiveProcess(Number(pid))) continue;
    rmSync(path.join(dir, name), { force: true });
    removed.push(name);
  }
  return removed;
}

function belongsToAnotherLiveProcess(pid: number): boolean {
  // Called before this process writes anything: a file with its pid is from an earlier process that had the same pid.
  if (pid === process.pid) return false;
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    // EPERM: it exists but belongs to someone else.
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}
