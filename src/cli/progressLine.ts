import type { CheckResult } from '../check/checkReport.js';
import { checkMark } from '../check/formatText.js';

/** One line on stderr that says how far the run is, rewritten after every check. */
export class ProgressLine {
  readonly #stream: NodeJS.WritableStream;
  readonly #colour: boolean;
  #done = 0;

  constructor(stream: NodeJS.WritableStream, colour: boolean) {
    this.#stream = stream;
    this.#colour = colour;
  }

  show(result: CheckResult): void {
    this.#done++;
    const { mark } = checkMark(result);
    this.#stream.write(`\r\x1b[2K${this.#colour ? '\x1b[2m' : ''}checking… ${this.#done} done · ${mark} ${result.id}${this.#colour ? '\x1b[22m' : ''}`);
  }

  clear(): void {
    if (this.#done > 0) this.#stream.write('\r\x1b[2K');
  }
}
