import type { RequestFinishedEvent } from '../events/types.js';
import type { GradedRequest } from './clientTraffic.js';
import { InternedColumn } from './internedColumn.js';
import { RareColumn } from './rareColumn.js';
import { RequestIdColumn } from './requestIdColumn.js';

// Columns start small and double: a short CI run keeps a few hundred requests.
const INITIAL_ROWS = 1_024;

/**
 * The requests the report card grades, one row per request and a column per field it reads: numbers
 * in typed arrays (request ids as their counters), repeating strings as codes into a table of values,
 * and the one-off strings most requests lack (query, next link) only for the rows that have them. A
 * finished request's event is not kept, so it dies young; a read's row keeps no object at all.
 */
export class RequestTable {
  #length = 0;
  #rows = INITIAL_ROWS;
  #at = new Float64Array(INITIAL_ROWS);
  // NaN where the event had no value.
  #startedAt = new Float64Array(INITIAL_ROWS);
  #retryAfterSeconds = new Float64Array(INITIAL_ROWS);
  #status = new Int32Array(INITIAL_ROWS);
  #clientClosed = new Uint8Array(INITIAL_ROWS);
  readonly #method = new InternedColumn(INITIAL_ROWS);
  readonly #route = new InternedColumn(INITIAL_ROWS);
  readonly #path = new InternedColumn(INITIAL_ROWS);
  readonly #tenantId = new InternedColumn(INITIAL_ROWS);
  readonly #clientId = new InternedColumn(INITIAL_ROWS);
  readonly #host = new InternedColumn(INITIAL_ROWS);
  readonly #accept = new InternedColumn(INITIAL_ROWS);
  readonly #fhirVersion = new InternedColumn(INITIAL_ROWS);
  readonly #tokenJti = new InternedColumn(INITIAL_ROWS);
  readonly #tokenRefused = new InternedColumn(INITIAL_ROWS);
  readonly #faultKind = new InternedColumn(INITIAL_ROWS);
  readonly #interned = [this.#method, this.#route, this.#path, this.#tenantId, this.#clientId, this.#host, this.#accept, this.#fhirVersion, this.#tokenJti, this.#tokenRefused, this.#faultKind];
  readonly #requestId = new RequestIdColumn(INITIAL_ROWS);
  readonly #query = new RareColumn();
  readonly #nextLink = new RareColumn();

  get length(): number {
    return this.#length;
  }

  append(event: RequestFinishedEvent): void {
    if (this.#length === this.#rows) this.#grow();
    const row = this.#length++;
    this.#at[row] = event.at;
    this.#startedAt[row] = event.startedAt ?? Number.NaN;
    this.#retryAfterSeconds[row] = event.retryAfterSeconds ?? Number.NaN;
    this.#status[row] = event.status;
    this.#clientClosed[row] = event.clientClosed === true ? 1 : 0;
    // Each field by name: a loop over field names would make every read a megamorphic keyed load.
    this.#method.set(row, event.method);
    this.#route.set(row, event.route);
    this.#path.set(row, event.path);
    this.#tenantId.set(row, event.tenantId);
    this.#clientId.set(row, event.clientId);
    this.#host.set(row, event.host);
    this.#accept.set(row, event.accept);
    this.#fhirVersion.set(row, event.fhirVersion);
    this.#tokenJti.set(row, event.tokenJti);
    this.#tokenRefused.set(row, event.tokenRefused);
    this.#faultKind.set(row, event.faultKind);
    this.#requestId.set(row, event.requestId);
    this.#query.set(row, event.query);
    this.#nextLink.set(row, event.nextLink);
  }

  /** Forgets the `count` oldest rows. */
  dropOldest(count: number): void {
    for (const column of [this.#at, this.#startedAt, this.#retryAfterSeconds, this.#status, this.#clientClosed]) column.copyWithin(0, count, this.#length);
    for (const column of this.#interned) column.dropOldest(count, this.#length);
    this.#requestId.dropOldest(count, this.#length);
    this.#query.dropOldest(count);
    this.#nextLink.dropOldest(count);
    this.#length -= count;
  }

  /** The rows as the grader reads them, oldest first, each with only the fields its request had. */
  rows(): GradedRequest[] {
    const rows: GradedRequest[] = [];
    const optional = { tenantId: this.#tenantId, clientId: this.#clientId, host: this.#host, accept: this.#accept, fhirVersion: this.#fhirVersion, tokenJti: this.#tokenJti, tokenRefused: this.#tokenRefused, faultKind: this.#faultKind };
    const optionalColumns = Object.entries(optional) as Array<[keyof typeof optional, InternedColumn]>;
    for (let row = 0; row < this.#length; row++) {
      const request: GradedRequest = {
        requestId: this.#requestId.get(row),
        at: this.#at[row] as number,
        method: this.#method.get(row) as string,
        route: this.#route.get(row) as string,
        path: this.#path.get(row) as string,
        status: this.#status[row] as number,
      };
      const startedAt = this.#startedAt[row] as number;
      if (!Number.isNaN(startedAt)) request.startedAt = startedAt;
      const retryAfterSeconds = this.#retryAfterSeconds[row] as number;
      if (!Number.isNaN(retryAfterSeconds)) request.retryAfterSeconds = retryAfterSeconds;
      if (this.#clientClosed[row] === 1) request.clientClosed = true;
      const query = this.#query.get(row);
      if (query !== undefined) request.query = query;
      const nextLink = this.#nextLink.get(row);
      if (nextLink !== undefined) request.nextLink = nextLink;
      for (const [field, column] of optionalColumns) {
        const value = column.get(row);
        if (value !== undefined) request[field] = value;
      }
      rows.push(request);
    }
    return rows;
  }

  #grow(): void {
    this.#rows *= 2;
    const grown = <T extends Float64Array | Int32Array | Uint8Array>(column: T, empty: T): T => {
      empty.set(column);
      return empty;
    };
    this.#at = grown(this.#at, new Float64Array(this.#rows));
    this.#startedAt = grown(this.#startedAt, new Float64Array(this.#rows));
    this.#retryAfterSeconds = grown(this.#retryAfterSeconds, new Float64Array(this.#rows));
    this.#status = grown(this.#status, new Int32Array(this.#rows));
    this.#clientClosed = grown(this.#clientClosed, new Uint8Array(this.#rows));
    for (const column of this.#interned) column.grow(this.#rows);
    this.#requestId.grow(this.#rows);
  }
}
