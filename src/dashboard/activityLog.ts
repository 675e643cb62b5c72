import type { EventBus } from '../events/eventBus.js';
import type { RequestFinishedEvent, SandboxEvent } from '../events/types.js';

export type NoteTone = 'info' | 'warn' | 'error';

export type ActivityEntry =
  | { kind: 'request'; request: RequestFinishedEvent }
  | { kind: 'note'; at: number; source: 'simulator' | 'sandbox'; tone: NoteTone; text: string; tenantId?: string };

/** `seq` numbers lines in arrival order (a stable React key). */
export type ActivityLine = ActivityEntry & { seq: number };

export interface ActivityView {
  /** Oldest first; the newest line is last. */
  lines: readonly ActivityLine[];
  paused: boolean;
  /** Lines that arrived while paused and are not shown yet. */
  missed: number;
}

/**
 * The dashboard's scroll-back: the last few hundred requests and notable events (simulator retries,
 * warnings, control changes) as lines. Pausing freezes what is shown while lines keep arriving.
 */
export class ActivityLog {
  readonly #capacity: number;
  #lines: ActivityLine[] = [];
  #seq = 0;
  #frozen: readonly ActivityLine[] | undefined;
  #frozenAtSeq = 0;
  readonly #unsubscribe: () => void;

  constructor(events: EventBus, capacity = 300) {
    this.#capacity = capacity;
    this.#unsubscribe = events.subscribe((event) => {
      const entry = activityEntryFor(event);
      if (entry !== undefined) this.#push({ ...entry, seq: ++this.#seq });
    });
  }

  view(): ActivityView {
    if (this.#frozen !== undefined) return { lines: this.#frozen, paused: true, missed: this.#seq - this.#frozenAtSeq };
    return { lines: this.#lines, paused: false, missed: 0 };
  }

  get paused(): boolean {
    return this.#frozen !== undefined;
  }

  togglePause(): void {
    if (this.#frozen === undefined) {
      this.#frozen = [...this.#lines];
      this.#frozenAtSeq = this.#seq;
    } else {
      this.#frozen = undefined;
    }
  }

  clear(): void {
    this.#lines = [];
    if (this.#frozen !== undefined) {
      this.#frozen = [];
      this.#frozenAtSeq = this.#seq;
    }
  }

  dispose(): void {
    this.#unsubscribe();
  }

  #push(line: ActivityLine): void {
    this.#lines.push(line);
    // Trim in chunks so a busy stream does not shift the array on every event.
    if (this.#lines.length > this.#capacity * 2) this.#lines = this.#lines.slice(-this.#capacity);
  }
}

/** Requests and the events an operator acts on; token issues already show as token requests. */
function activityEntryFor(event: SandboxEvent): ActivityEntry | undefined {
  switch (event.type) {
    case 'request':
      return { kind: 'request', request: event };
    case 'simulator':
      return {
        kind: 'note',
        at: event.at,
        source: 'simulator',
        tone: event.action === 'gave-up' ? 'error' : event.action === 'retry' ? 'warn' : 'info',
        text: event.message,
        ...(event.tenantId !== undefined ? { tenantId: event.tenantId } : {}),
      };
    case 'warning':
      return { kind: 'note', at: event.at, source: 'sandbox', tone: 'warn', text: event.message };
    case 'tokens-changed':
      return { kind: 'note', at: event.at, source: 'sandbox', tone: 'info', text: `tokens: ${event.detail}` };
    case 'faults-changed':
      return { kind: 'note', at: event.at, source: 'sandbox', tone: 'info', text: `faults: ${event.detail}` };
    case 'client-changed':
      return { kind: 'note', at: event.at, source: 'sandbox', tone: 'info', text: `client ${event.clientId}: ${event.change}` };
    case 'seed-progress':
      return event.done === event.total
        ? { kind: 'note', at: event.at, source: 'sandbox', tone: 'info', text: `${event.total} patients ready`, tenantId: event.tenantId }
        : undefined;
    case 'persistence':
      return { kind: 'note', at: event.at, source: 'sandbox', tone: event.state === 'failing' ? 'error' : 'info', text: event.message, tenantId: event.tenantId };
    case 'upstream':
      return { kind: 'note', at: event.at, source: 'sandbox', tone: event.state === 'waiting' ? 'warn' : 'info', text: event.message, tenantId: event.tenantId };
    case 'scenario':
      return { kind: 'note', at: event.at, source: 'sandbox', tone: event.change === 'step-failed' ? 'warn' : 'info', text: `scenario ${event.name}: ${event.detail}` };
    case 'token-issued':
      return undefined;
  }
}
