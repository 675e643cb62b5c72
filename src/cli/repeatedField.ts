import { jsonString } from '../lib/jsonString.js';

/**
 * A log line's `,"key":value` text for a string field whose value usually repeats from one line to
 * the next (a client's tenant, token and host): rebuilt only when the value changes.
 */
export class RepeatedField {
  readonly #key: string;
  #value: string | undefined;
  #text = '';

  constructor(key: string) {
    this.#key = key;
  }

  text(value: string): string {
    if (value !== this.#value) {
      this.#value = value;
      this.#text = `,"${this.#key}":${jsonString(value)}`;
    }
    return this.#text;
  }
}
