/** Time as a dependency: logic that tests must control asks a Clock instead of calling Date.now(). */
export interface Clock {
  /** Milliseconds since the epoch. */
  now(): number;
}

/** Callbacks due after a delay, on the same time line as a Clock: what schedules timeline steps. */
export interface Timers {
  /** Calls `callback` once, `delayMs` from now; the returned function cancels it. */
  setTimer(delayMs: number, callback: () => void): () => void;
}

export const systemClock: Clock = { now: () => Date.now() };

export const systemTimers: Timers = {
  setTimer(delayMs, callback) {
    const timer = setTimeout(callback, Math.max(0, delayMs));
    // A pending step must not keep a process alive that has nothing else to do.
    timer.unref();
    return () => clearTimeout(timer);
  },
};

/**
 * A clock that only moves when told to: for tests and reproducible runs. It is also a Timers: moving
 * it fires every timer that falls due on the way, in order, each with the clock set to its due time.
 */
export class ManualClock implements Clock, Timers {
  #now: number;
  #timers: Array<{ due: number; order: number; callback: () => void }> = [];
  #scheduled = 0;

  constructor(startMs: number = Date.UTC(2026, 0, 1)) {
    this.#now = startMs;
  }

  now(): number {
    return this.#now;
  }

  advance(ms: number): void {
    const target = this.#now + ms;
    for (let next = this.#nextDue(target); next !== undefined; next = this.#nextDue(target)) {
      this.#timers.splice(this.#timers.indexOf(next), 1);
      this.#now = Math.max(this.#now, next.due);
      next.callback();
    }
    this.#now = Math.max(this.#now, target);
  }

  /** Jumps to `ms`; moving forward fires the timers on the way, as `advance` does. */
  set(ms: number): void {
    if (ms > this.#now) this.advance(ms - this.#now);
    else this.#now = ms;
  }

  setTimer(delayMs: number, callback: () => void): () => void {
    const timer = { due: this.#now + Math.max(0, delayMs), order: ++this.#scheduled, callback };
    this.#timers.push(timer);
    return () => {
      const index = this.#timers.indexOf(timer);
      if (index !== -1) this.#timers.splice(index, 1);
    };
  }

  /** How many timers have not fired yet. */
  get pendingTimers(): number {
    return this.#timers.length;
  }

  #nextDue(until: number): { due: number; order: number; callback: () => void } | undefined {
    let best: { due: number; order: number; callback: () => void } | undefined;
    for (const timer of this.#timers) {
      if (timer.due > until) continue;
      if (best === undefined || timer.due < best.due || (timer.due === best.due && timer.order < best.order)) best = timer;
    }
    return best;
  }
}
