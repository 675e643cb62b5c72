/**
 * Log lines gathered into one string and handed to the destination in large writes: appending a
 * line is a string concatenation, where a write per line cost several times the line's own
 * formatting (the destination's bookkeeping and a syscall every few lines).
 */
export interface LineBatch {
  append(line: string): void;
  /** Hands whatever is gathered to the destination now (before another kind of line, on a timer, at close). */
  flush(): void;
}

export function lineBatch(write: (text: string) => void, batchBytes: number): LineBatch {
  let gathered = '';
  const flush = (): void => {
    if (gathered === '') return;
    const text = gathered;
    gathered = '';
    write(text);
  };
  return {
    append(line) {
      gathered += line;
      // Characters, not bytes: close enough for a flush threshold, and free to read.
      if (gathered.length >= batchBytes) flush();
    },
    flush,
  };
}
