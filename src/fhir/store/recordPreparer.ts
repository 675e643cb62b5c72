import type { Resource } from '../types.js';
import type { SearchParamDefinition, TokenValue } from '../versions/searchParamDefinition.js';
import type { VersionAdapter } from '../versions/versionAdapter.js';
import { BulkMeta } from './bulkMeta.js';
import { DATE_BYTES, bytesShortFor, writeTextAndDates } from './jsonArena.js';
import { extractOwnerValues, flatDates, indexOwnersOf } from './ownerValues.js';
import type { IndexOwners } from './ownerValues.js';
import { NO_SYSTEM, PLAIN_RECORD, PREPARED_HEADER_FIELDS } from './preparedBatch.js';
import type { PreparedBatch } from './preparedBatch.js';

const FIRST_CHUNK_BYTES = 1024 * 1024;
const LARGEST_CHUNK_BYTES = 8 * 1024 * 1024;
const FIRST_FIELDS = 16 * 1024;

interface TypeIndexing {
  readonly params: readonly SearchParamDefinition[];
  readonly owners: IndexOwners;
}

/**
 * Does for a stream of resources what `ResourceStore.add` does before it touches the store — one
 * JSON.stringify each, the UTF-8 bytes written where they will be kept, the date bounds after them,
 * the index values extracted — so that another thread can store them with
 * `ResourceStore.addPrepared`, in the same order, without parsing anything. Each batch is one
 * chunk of bytes (1 MB at first, then up to 8 MB), which the receiving store keeps as it is.
 */
export class RecordPreparer {
  readonly #adapter: VersionAdapter;
  readonly #meta = new BulkMeta();
  readonly #types = new Map<string, TypeIndexing>();
  readonly #stringNumbers = new Map<string, number>();
  readonly #sealed: PreparedBatch[] = [];
  #batchStrings: string[] = [];
  #chunk = Buffer.alloc(0);
  #used = 0;
  #nextChunkBytes = FIRST_CHUNK_BYTES;
  #ids: string[] = [];
  #fields = new Int32Array(FIRST_FIELDS);
  #fieldCount = 0;
  #lastUpdated = new Float64Array(FIRST_FIELDS / 8);
  #patients = 0;

  constructor(adapter: VersionAdapter) {
    this.#adapter = adapter;
  }

  add(resource: Resource): void {
    const type = resource.resourceType;
    const version = this.#meta.version(resource.meta?.versionId);
    const lastUpdated = this.#meta.time(resource.meta?.lastUpdated);
    const id = resource.id;
    const text = JSON.stringify(resource);
    if (version === undefined || lastUpdated === undefined || typeof id !== 'string' || id === '') {
      // Rare (a resource without id or meta): the store completes it, as add() would.
      this.#endRecord(this.#append(type, '', text, [], PLAIN_RECORD, 0));
      return;
    }
    const indexing = this.#indexingOf(type);
    const values = extractOwnerValues(indexing.params, indexing.owners.owners, resource);
    const header = this.#append(type, id, text, flatDates(indexing.params, indexing.owners, values), version, lastUpdated);
    const { params, owners } = indexing;
    for (let i = 0; i < owners.owners.length; i++) {
      const param = params[owners.owners[i] as number] as SearchParamDefinition;
      if (param.type === 'date') continue;
      const ownerValues = values[i] as readonly string[] | readonly TokenValue[];
      this.#push(ownerValues.length);
      for (const value of ownerValues) {
        if (typeof value === 'string') {
          this.#push(this.#numberOf(value));
          continue;
        }
        this.#push(this.#numberOf(value.code));
        this.#push(value.system === undefined || value.system === '' ? NO_SYSTEM : this.#numberOf(value.system));
      }
    }
    this.#endRecord(header);
  }

  /** One more patient has all its records added. */
  patientDone(): void {
    this.#patients++;
  }

  /** Batches whose chunk is full, in order; each is handed out once. */
  take(): PreparedBatch[] {
    return this.#sealed.splice(0);
  }

  /** Every batch not handed out yet, the last (partly filled) one included. */
  finish(): PreparedBatch[] {
    this.#seal();
    return this.take();
  }

  /** Writes the record's text and dates and its header fields; returns where the header starts. */
  #append(type: string, id: string, text: string, dates: readonly number[], version: number, lastUpdated: number): number {
    const needed = bytesShortFor(this.#chunk, this.#used, text, dates.length);
    if (needed > 0) this.#startChunk(needed);
    const start = this.#used;
    const end = writeTextAndDates(this.#chunk, start, text, dates);
    this.#used = end + dates.length * DATE_BYTES;
    const record = this.#ids.length;
    this.#ids.push(id);
    if (record === this.#lastUpdated.length) this.#lastUpdated = grown(this.#lastUpdated, new Float64Array(record * 2));
    this.#lastUpdated[record] = lastUpdated;
    const header = this.#fieldCount;
    this.#push(this.#numberOf(type));
    this.#push(start);
    this.#push(end);
    this.#push(dates.length);
    this.#push(version);
    this.#push(0);
    return header;
  }

  /** The header's last field: how many value fields follow it (so a receiver can skip them). */
  #endRecord(header: number): void {
    this.#fields[header + PREPARED_HEADER_FIELDS - 1] = this.#fieldCount - header - PREPARED_HEADER_FIELDS;
  }

  #push(field: number): void {
    if (this.#fieldCount === this.#fields.length) this.#fields = grown(this.#fields, new Int32Array(this.#fields.length * 2));
    this.#fields[this.#fieldCount++] = field;
  }

  #numberOf(text: string): number {
    let number = this.#stringNumbers.get(text);
    if (number === undefined) {
      number = this.#stringNumbers.size;
      this.#stringNumbers.set(text, number);
      this.#batchStrings.push(text);
    }
    return number;
  }

  #indexingOf(type: string): TypeIndexing {
    let indexing = this.#types.get(type);
    if (indexing === undefined) {
      const params = this.#adapter.searchParams[type] ?? [];
      indexing = { params, owners: indexOwnersOf(params) };
      this.#types.set(type, indexing);
    }
    return indexing;
  }

  /** A batch is one chunk: the chunk in use is sealed with its records before the next begins. */
  #startChunk(needed: number): void {
    this.#seal();
    this.#chunk = Buffer.from(new ArrayBuffer(Math.max(needed, this.#nextChunkBytes)));
    this.#nextChunkBytes = Math.min(LARGEST_CHUNK_BYTES, this.#nextChunkBytes * 2);
    this.#used = 0;
  }

  #seal(): void {
    if (this.#ids.length === 0) return;
    this.#sealed.push({
      bytes: this.#chunk.buffer as ArrayBuffer,
      strings: this.#batchStrings,
      ids: this.#ids,
      fields: this.#fields.slice(0, this.#fieldCount),
      lastUpdated: this.#lastUpdated.slice(0, this.#ids.length),
      patients: this.#patients,
    });
    this.#chunk = Buffer.alloc(0);
    this.#used = 0;
    this.#batchStrings = [];
    this.#stringNumbers.clear();
    this.#ids = [];
    this.#fieldCount = 0;
    this.#patients = 0;
  }
}

function grown<T extends Int32Array | Float64Array>(from: T, to: T): T {
  to.set(from);
  return to;
}
