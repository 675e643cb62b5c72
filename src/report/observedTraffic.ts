import type { EventBus } from '../events/eventBus.js';
import type { RequestFinishedEvent, TokenIssuedEvent } from '../events/types.js';
import type { Clock } from '../lib/clock.js';
import type { ObservedWindow } from './gradeTraffic.js';
import { RequestTable } from './requestTable.js';

// Enough for hours of a CI client; past it the oldest requests go, and the report says how many.
const DEFAULT_CAPACITY = 100_000;

/**
 * The report card's input: the requests that belong to a client, the tokens issued and the moments
 * tokens were invalidated, since the window began. Requests are kept as rows of the fields grading
 * reads, not as their events: a hundred thousand events outliving the young generation made every
 * scavenge dearer for as long as the window lasted.
 */
export class ObservedTraffic {
  readonly #clock: Clock;
  readonly #capacity: number;
  readonly #unsubscribe: () => void;
  #since: number;
  #requests = new RequestTable();
  #tokens: TokenIssuedEvent[] = [];
  #invalidations: number[] = [];
  #metadataHosts = new Set<string>();
  #dropped = 0;

  constructor(events: EventBus, clock: Clock, capacity = DEFAULT_CAPACITY) {
    this.#clock = clock;
    this.#capacity = capacity;
    this.#since = clock.now();
    this.#unsubscribe = events.subscribe((event) => {
      switch (event.type) {
        case 'request':
          if (event.clientId !== undefined) this.#keep(event);
          else if (event.host !== undefined && event.route.endsWith('/metadata') && event.status === 200) this.#metadataHosts.add(event.host.toLowerCase());
          return;
        case 'token-issued':
          this.#tokens.push(event);
          return;
        case 'tokens-changed':
          if (event.change === 'expired-all' || event.change === 'key-rotated' || event.change === 'client-revoked') this.#invalidations.push(event.at);
          return;
        default:
      }
    });
  }

  /** Starts a new window: what came before is forgotten. */
  reset(): void {
    this.#since = this.#clock.now();
    this.#requests = new RequestTable();
    this.#tokens = [];
    this.#invalidations = [];
    this.#metadataHosts = new Set();
    this.#dropped = 0;
  }

  window(): ObservedWindow {
    return {
      since: this.#since,
      requests: this.#requests.rows(),
      tokens: this.#tokens,
      invalidations: this.#invalidations,
      metadataHosts: this.#metadataHosts,
      droppedRequests: this.#dropped,
    };
  }

  dispose(): void {
    this.#unsubscribe();
  }

  #keep(event: RequestFinishedEvent): void {
    this.#requests.append(event);
    if (this.#requests.length <= this.#capacity) return;
    // Drop a tenth at once, so a full window does not shift the columns on every request.
    const excess = Math.ceil(this.#capacity / 10);
    this.#requests.dropOldest(excess);
    this.#dropped += excess;
  }
}
