import { Transform } from 'node:stream';

interface Pattern {
  from: Buffer;
  to: Buffer;
}

// A base URL is replaced only where it ends: before a path, a query, a fragment or the end of a JSON
// string (`"`, or `\` of an escaped `\/`). "…/fhir" inside "…/fhir2/…" stays as it is.
const BOUNDARY = new Set(['/', '?', '#', '"', '\\'].map((char) => char.charCodeAt(0)));

/**
 * Replaces absolute URLs under one base with the same URLs under another: upstream → gateway in
 * answers (fullUrl, paging links, references), gateway → upstream in request bodies. Works on bytes,
 * in plain and in JSON-escaped spelling (`http:\/\/…`), and as a stream it holds back at most one
 * pattern's length between chunks, so a body of any size passes through in bounded memory.
 */
export class BaseUrlRewriter {
  readonly #patterns: Pattern[];
  readonly #longest: number;

  /** `pairs` maps each base to its replacement; bases are compared exactly, without a trailing slash. */
  constructor(pairs: ReadonlyArray<{ from: string; to: string }>) {
    const patterns: Pattern[] = [];
    for (const { from, to } of pairs) {
      if (from === '' || from === to) continue;
      patterns.push({ from: Buffer.from(from), to: Buffer.from(to) });
      const escapedFrom = from.replaceAll('/', '\\/');
      if (escapedFrom !== from) patterns.push({ from: Buffer.from(escapedFrom), to: Buffer.from(to.replaceAll('/', '\\/')) });
    }
    this.#patterns = patterns;
    this.#longest = Math.max(0, ...patterns.map((pattern) => pattern.from.length));
  }

  get idle(): boolean {
    return this.#patterns.length === 0;
  }

  rewrite(text: string): string {
    if (this.idle) return text;
    const parts: Buffer[] = [];
    this.#scan(Buffer.from(text), true, parts);
    return Buffer.concat(parts).toString('utf8');
  }

  /** A Transform doing the same to a byte stream. */
  stream(): Transform {
    let carry: Buffer = Buffer.alloc(0);
    return new Transform({
      transform: (chunk: Buffer, _encoding, done) => {
        const data = carry.length === 0 ? chunk : Buffer.concat([carry, chunk]);
        const parts: Buffer[] = [];
        const kept = this.#scan(data, false, parts);
        // A copy: the tail must not pin the whole chunk it came from.
        carry = Buffer.from(data.subarray(kept));
        done(null, parts.length === 0 ? undefined : Buffer.concat(parts));
      },
      flush: (done) => {
        const parts: Buffer[] = [];
        this.#scan(carry, true, parts);
        carry = Buffer.alloc(0);
        done(null, parts.length === 0 ? undefined : Buffer.concat(parts));
      },
    });
  }

  /**
   * Appends the rewritten bytes of `data` to `out` and returns where the unprocessed rest starts: the
   * end of `data` when `final`, else the start of the longest tail that could still become a match.
   */
  #scan(data: Buffer, final: boolean, out: Buffer[]): number {
    let position = 0;
    // Where a match starts whose boundary byte has not arrived yet.
    let undecided = data.length;
    for (;;) {
      const found = this.#nextMatch(data, position);
      if (found === undefined) break;
      const end = found.index + found.pattern.from.length;
      if (end >= data.length && !final) {
        undecided = found.index;
        break;
      }
      if (end >= data.length || BOUNDARY.has(data[end] as number)) {
        out.push(data.subarray(position, found.index), found.pattern.to);
        position = end;
      } else {
        out.push(data.subarray(position, found.index + 1));
        position = found.index + 1;
      }
    }
    const kept = final ? data.length : Math.max(position, Math.min(undecided, data.length - this.#longest + 1));
    out.push(data.subarray(position, kept));
    return kept;
  }

  #nextMatch(data: Buffer, from: number): { index: number; pattern: Pattern } | undefined {
    let best: { index: number; pattern: Pattern } | undefined;
    for (const pattern of this.#patterns) {
      const index = data.indexOf(pattern.from, from);
      if (index >= 0 && (best === undefined || index < best.index)) best = { index, pattern };
    }
    return best;
  }
}
