import { Worker } from 'node:worker_threads';
import type { SandboxConfig } from '../../config/sandboxConfig.js';
import type { TenantDataOptions } from '../../data/tenantDataOptions.js';
import type { Resource } from '../../fhir/types.js';
import type { PregenerationInput, PregenerationMessage, PregenerationReply } from './protocol.js';

/** Where the build puts the bundled worker (scripts/bundle-cli.mjs), beside the CLI's chunks. */
export const GENERATION_WORKER_URL = new URL('../../chunks/generation-worker.js', import.meta.url);

/**
 * Generated tenants made on a second thread while the main thread loads the server and stores: started
 * by the CLI before it imports the server, the worker generates the profile's tenants in plan order and
 * hands each one's batches to seedTenants (as its `datasets`) as generateTenantDataset would, parsed
 * from the worker's JSON. A tenant the worker has not started when seeding reaches it is claimed and
 * generated here instead, so neither thread waits for the other (the worker moves on to the next).
 * The bytes stored are the same: generation is a pure function of the request, which the main thread
 * checks against the worker's. Anything amiss (no worker file, a crash, another plan) only costs time:
 * the main thread generates what it has not received, resuming after the last batch it got.
 */
export class PregeneratedDatasets {
  readonly #worker: Worker | undefined;
  readonly #inbox: PregenerationMessage[] = [];
  readonly #claimed = new Set<string>();
  #waiting: ((message: PregenerationMessage | undefined) => void) | undefined;
  #gone = false;
  #fromWorker = 0;
  #started: (working: boolean) => void = () => undefined;
  /** Settles when the worker has begun its first tenant (true), or stopped before that (false). */
  readonly started = new Promise<boolean>((resolve) => (this.#started = resolve));

  /** Undefined for a profile with upstream tenants: planning those opens connections, which stays on the main thread. */
  static start(config: SandboxConfig, workerUrl: URL = GENERATION_WORKER_URL): PregeneratedDatasets | undefined {
    const { tenants, referenceDate } = config.profile;
    if (tenants.some((tenant) => tenant.upstream !== undefined)) return undefined;
    const input: PregenerationInput = { tenants, seed: config.seed, referenceDate, profileFile: config.profileFile, dataDir: config.dataDir };
    return new PregeneratedDatasets(workerUrl, input);
  }

  constructor(workerUrl: URL, input: PregenerationInput) {
    try {
      this.#worker = new Worker(workerUrl, { workerData: input });
    } catch {
      this.#gone = true;
      return;
    }
    // Never what keeps the process alive: a start that fails early exits without waiting for it.
    this.#worker.unref();
    this.#worker.on('message', (message: PregenerationMessage) => this.#deliver(message));
    this.#worker.on('error', () => this.#stop());
    this.#worker.on('exit', () => this.#stop());
  }

  /** A DatasetSource: the worker's batches for this request, or generated here (from where they stop). */
  readonly datasets = (request: TenantDataOptions): AsyncIterable<Resource[]> => this.#dataset(request);

  /** Batches the worker supplied so far (the rest were generated on this thread). */
  get batchesFromWorker(): number {
    return this.#fromWorker;
  }

  /** Stops the worker; later requests are generated on this thread. */
  close(): void {
    this.#stop();
    void this.#worker?.terminate();
  }

  async *#dataset(request: TenantDataOptions): AsyncGenerator<Resource[]> {
    let received = 0;
    this.#dropClaimed();
    const header = this.#inbox[0];
    if (header === undefined && !this.#gone) {
      // Not started yet (the worker is still loading, or busy with an earlier tenant): made here, skipped there.
      this.#claimed.add(request.tenantId);
      this.#reply({ kind: 'claimed', tenantId: request.tenantId });
    } else if (header?.kind === 'tenant' && header.tenantId === request.tenantId && header.request === JSON.stringify(request)) {
      this.#inbox.shift();
      let message = await this.#next();
      while (message?.kind === 'chunk') {
        this.#reply({ kind: 'taken' });
        // Parsed one batch at a time, just before it is stored: a young generation's worth of objects, not a chunk's.
        for (const text of message.batches) {
          received++;
          this.#fromWorker++;
          yield JSON.parse(text) as Resource[];
        }
        message = await this.#next();
      }
      if (message?.kind === 'end') return;
      this.close();
    } else {
      this.close();
    }
    // Imported here: the CLI loads this module before the server, and --version must not pay for the generator.
    const { generateTenantDataset } = await import('../../data/generateTenantResources.js');
    yield* skipped(generateTenantDataset(request), received);
  }

  /** What the worker sent of tenants generated here, before it learnt they were claimed. */
  #dropClaimed(): void {
    for (let head = this.#inbox[0]; head !== undefined && 'tenantId' in head && this.#claimed.has(head.tenantId); head = this.#inbox[0]) {
      this.#inbox.shift();
      if (head.kind === 'chunk') this.#reply({ kind: 'taken' });
    }
  }

  #next(): Promise<PregenerationMessage | undefined> {
    const queued = this.#inbox.shift();
    if (queued !== undefined || this.#gone) return Promise.resolve(queued);
    return new Promise((resolve) => (this.#waiting = resolve));
  }

  #reply(reply: PregenerationReply): void {
    if (!this.#gone) this.#worker?.postMessage(reply);
  }

  #deliver(message: PregenerationMessage): void {
    this.#started(message.kind === 'tenant');
    const waiting = this.#waiting;
    this.#waiting = undefined;
    if (waiting !== undefined) waiting(message);
    else this.#inbox.push(message);
  }

  #stop(): void {
    this.#gone = true;
    this.#started(false);
    const waiting = this.#waiting;
    this.#waiting = undefined;
    waiting?.(undefined);
  }
}

/** The batches after the first `count`. */
function* skipped(batches: Iterable<Resource[]>, count: number): Generator<Resource[]> {
  let index = 0;
  for (const batch of batches) if (index++ >= count) yield batch;
}
