/**
 * meta.versionId and meta.lastUpdated of bulk-loaded resources, read as the store keeps them. A
 * bulk load carries the same few texts on thousands of records: each distinct one is parsed once.
 */
export class BulkMeta {
  #lastVersion: { text: string; version: number | undefined } = { text: '', version: undefined };
  #lastParsed: { text: string; ms: number | undefined } = { text: '', ms: undefined };

  /** The version number; undefined when the text is absent or not digits. */
  version(text: string | undefined): number | undefined {
    if (text === undefined) return undefined;
    if (text !== this.#lastVersion.text) this.#lastVersion = { text, version: /^\d+$/.test(text) ? Number(text) : undefined };
    return this.#lastVersion.version;
  }

  /** Epoch ms; undefined when the text is absent or not an ISO date-time. */
  time(text: string | undefined): number | undefined {
    if (text === undefined) return undefined;
    if (text !== this.#lastParsed.text) {
      const ms = /^\d{4}-\d{2}-\d{2}T/.test(text) ? Date.parse(text) : Number.NaN;
      this.#lastParsed = { text, ms: Number.isNaN(ms) ? undefined : ms };
    }
    return this.#lastParsed.ms;
  }
}
