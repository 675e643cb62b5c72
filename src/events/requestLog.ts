import type { EventBus } from './eventBus.js';
import type { RequestFinishedEvent } from './types.js';

/** The last N request events, newest last: what `GET /admin/requests` returns. */
export class RequestLog {
  readonly #capacity: number;
  readonly #entries: RequestFinishedEvent[] = [];
  #start = 0;

  constructor(events: EventBus, capacity = 500) {
    this.#capacity = capacity;
    events.subscribe((event) => {
      if (event.type === 'request') this.#push(event);
    });
  }

  /** Up to `limit` most recent requests, oldest first. */
  recent(limit = this.#capacity): RequestFinishedEvent[] {
    const ordered = [...this.#entries.slice(this.#start), ...this.#entries.slice(0, this.#start)];
    return ordered.slice(Math.max(0, ordered.length - limit));
  }

  clear(): void {
    this.#entries.length = 0;
    this.#start = 0;
  }

  #push(event: RequestFinishedEvent): void {
    if (this.#entries.length < this.#capacity) {
      this.#entries.push(event);
      return;
    }
    this.#entries[this.#start] = event;
    this.#start = (this.#start + 1) % this.#capacity;
  }
}
