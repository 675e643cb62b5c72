import type { Clock } from '../lib/clock.js';
import { readClientKey, type ClientKey } from './clientKey.js';
import { fetchJwks, JwksFetchError, type JwksFetchLimits } from './fetchJwks.js';

// An assertion naming an unknown kid makes the sandbox ask the URL again (the client may have just
// published a new key), but not more often than this, so made-up kids cannot make it hammer the URL.
const REFETCH_PAUSE_MS = 5_000;

/** What the admin API shows of a JWKS URL: when it was last read, which keys it gave, what went wrong. */
export interface RemoteJwksView {
  url: string;
  fetchedAt: string | null;
  kids: string[];
  /** Keys in the document that cannot sign assertions here, each with the reason. */
  skipped: string[];
  error: string | null;
}

/**
 * A client's JWKS URL and the keys last fetched from it. Keys are used for `cacheSeconds`; after that,
 * or when an assertion names a kid the cache lacks, the URL is fetched again (one fetch at a time).
 * Only this registered URL is ever fetched: never one an assertion names.
 */
export class RemoteJwks {
  readonly url: string;
  readonly #limits: JwksFetchLimits;
  readonly #clock: Clock;
  #keys: ClientKey[] = [];
  #skipped: string[] = [];
  #fetchedAt: number | undefined;
  #attemptedAt: number | undefined;
  #error: string | undefined;
  #inflight: Promise<void> | undefined;

  constructor(url: string, limits: JwksFetchLimits, clock: Clock) {
    this.url = url;
    this.#limits = limits;
    this.#clock = clock;
  }

  /** The key with this kid, fetching the URL when the cache is stale or lacks it; throws JwksFetchError when the URL fails. */
  async find(kid: string): Promise<ClientKey | undefined> {
    const cached = this.#fresh() ? this.#lookup(kid) : undefined;
    if (cached !== undefined) return cached;
    if (this.#mayFetch()) await this.refresh();
    else if (this.#error !== undefined) throw new JwksFetchError(this.#error);
    return this.#fresh() ? this.#lookup(kid) : undefined;
  }

  /** Fetches the URL now (an operator's "the client rotated its keys"); shares a fetch already under way. */
  refresh(): Promise<void> {
    this.#inflight ??= this.#fetch().finally(() => {
      this.#inflight = undefined;
    });
    return this.#inflight;
  }

  view(): RemoteJwksView {
    return {
      url: this.url,
      fetchedAt: this.#fetchedAt === undefined ? null : new Date(this.#fetchedAt).toISOString(),
      kids: this.#keys.map((key) => key.kid),
      skipped: [...this.#skipped],
      error: this.#error ?? null,
    };
  }

  async #fetch(): Promise<void> {
    this.#attemptedAt = this.#clock.now();
    try {
      const documents = await fetchJwks(this.url, this.#limits);
      const keys: ClientKey[] = [];
      const skipped: string[] = [];
      for (const document of documents) {
        const reading = readClientKey(document);
        if ('problem' in reading) skipped.push(reading.problem);
        else if (keys.some((key) => key.kid === reading.key.kid)) skipped.push(`key "${reading.key.kid}" appears twice; the first one is used`);
        else keys.push(reading.key);
      }
      this.#keys = keys;
      this.#skipped = skipped;
      this.#fetchedAt = this.#clock.now();
      this.#error = undefined;
    } catch (error) {
      this.#error = error instanceof Error ? error.message : String(error);
      throw error;
    }
  }

  #lookup(kid: string): ClientKey | undefined {
    return this.#keys.find((key) => key.kid === kid);
  }

  #fresh(): boolean {
    return this.#fetchedAt !== undefined && this.#clock.now() - this.#fetchedAt < this.#limits.cacheSeconds * 1000;
  }

  #mayFetch(): boolean {
    const pause = Math.min(REFETCH_PAUSE_MS, this.#limits.cacheSeconds * 1000);
    return this.#attemptedAt === undefined || this.#clock.now() - this.#attemptedAt >= pause;
  }
}
