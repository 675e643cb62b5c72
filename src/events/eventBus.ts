import type { SandboxEvent } from './types.js';

export type Listener = (event: SandboxEvent) => void;

/**
 * A typed, synchronous fan-out. Listeners must not throw into the emitter: a failing listener
 * (a broken terminal, a closed SSE socket) is dropped from that emit and reported once to stderr.
 */
export class EventBus {
  readonly #listeners = new Set<Listener>();

  subscribe(listener: Listener): () => void {
    this.#listeners.add(listener);
    return () => {
      this.#listeners.delete(listener);
    };
  }

  emit(event: SandboxEvent): void {
    for (const listener of this.#listeners) {
      try {
        listener(event);
      } catch (error) {
        process.stderr.write(`patients-sandbox: an event listener failed: ${String(error)}\n`);
      }
    }
  }

  get listenerCount(): number {
    return this.#listeners.size;
  }
}
