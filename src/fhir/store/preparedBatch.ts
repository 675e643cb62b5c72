/**
 * Records made ready for a store on another thread (RecordPreparer), in the order they are to be
 * stored: everything `ResourceStore.add` would compute for them, so the receiving thread only
 * appends. Every part is a transferable buffer or a short array of strings; nothing is parsed.
 *
 * `fields` holds, per record: its type (a string number), where its text lies in `bytes`
 * ([start, end), then `dateCount` doubles), its version — PLAIN_RECORD for one the store must
 * complete itself — and then, per non-date owner parameter of its type (`indexOwnersOf` order), the
 * number of values and the values: a string number for a string or reference key, a code's and
 * a system's string number (NO_SYSTEM when it has none) for a token.
 */
export interface PreparedBatch {
  /** The records' UTF-8 texts, each followed by its date bounds as little-endian doubles. */
  readonly bytes: ArrayBuffer;
  /** The strings the batch's fields name by number (each batch has its own, so neither side's table grows). */
  readonly strings: readonly string[];
  /** The records' ids, in order. */
  readonly ids: readonly string[];
  readonly fields: Int32Array;
  /** The records' meta.lastUpdated in epoch ms, in order. */
  readonly lastUpdated: Float64Array;
  /** Patients whose every record is in this batch or an earlier one, counted here: seeding's progress. */
  readonly patients: number;
}

/** A record without a complete id and meta: the store parses its text and stamps it as `add` does. */
export const PLAIN_RECORD = -1;
export const NO_SYSTEM = -1;
/** A record's header: type, start, end, dateCount, version, and how many value fields follow. */
export const PREPARED_HEADER_FIELDS = 6;
