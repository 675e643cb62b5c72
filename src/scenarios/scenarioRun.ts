import type { EventBus } from '../events/eventBus.js';
import type { ScenarioEvent } from '../events/types.js';
import type { Clock, Timers } from '../lib/clock.js';
import { applyScenarioStep, describeStep } from './applyScenarioStep.js';
import { durationMs, formatDuration } from './duration.js';
import type { ScenarioControls } from './scenarioControls.js';
import type { Scenario, ScenarioStep } from './scenarioSchema.js';

export type ScenarioState = 'running' | 'finished' | 'stopped';

export interface ScenarioStepStatus {
  index: number;
  /** The offset as written ("30s"). */
  at: string;
  atSeconds: number;
  step: string;
  state: 'pending' | 'applied' | 'failed' | 'skipped';
  appliedAt?: string;
  error?: string;
}

/** What `GET /admin/scenarios/current` answers and the dashboard shows. */
export interface ScenarioStatus {
  name: string;
  description?: string;
  state: ScenarioState;
  startedAt: string;
  endsAt: string;
  durationSeconds: number;
  elapsedSeconds: number;
  timeLeftSeconds: number;
  next: { index: number; at: string; inSeconds: number; step: string } | null;
  steps: ScenarioStepStatus[];
}

export interface ScenarioRunOptions {
  scenario: Scenario;
  controls: ScenarioControls;
  clock: Clock;
  timers: Timers;
  events: EventBus;
}

/** How long a scenario lasts: to its end step, or to its last step. */
export function scenarioDurationMs(scenario: Scenario): number {
  return Math.max(0, ...scenario.steps.map((step) => durationMs(step.at)));
}

interface PlannedStep {
  step: ScenarioStep;
  atMs: number;
  status: ScenarioStepStatus;
}

/**
 * One run of a scenario: every step gets a timer at its offset from `start()`, on the sandbox's clock
 * and timers, and steps are applied one at a time in order (a key rotation finishes before the next
 * step). The run finishes at its `end` step, or once its last step is applied.
 */
export class ScenarioRun {
  readonly #options: ScenarioRunOptions;
  readonly #plan: PlannedStep[];
  readonly #durationMs: number;
  #startedAt = 0;
  #state: ScenarioState = 'running';
  #cancels: Array<() => void> = [];
  #tail: Promise<void> = Promise.resolve();
  #inFlight = 0;

  constructor(options: ScenarioRunOptions) {
    this.#options = options;
    // Stable: steps at the same offset keep the order they were written in.
    this.#plan = options.scenario.steps
      .map((step, index) => ({ step, atMs: durationMs(step.at), index }))
      .sort((a, b) => a.atMs - b.atMs || a.index - b.index)
      .map(({ step, atMs, index }) => ({
        step,
        atMs,
        status: { index, at: typeof step.at === 'number' ? `${step.at}s` : step.at, atSeconds: atMs / 1000, step: describeStep(step), state: 'pending' },
      }));
    this.#durationMs = scenarioDurationMs(options.scenario);
  }

  get name(): string {
    return this.#options.scenario.name;
  }

  get state(): ScenarioState {
    return this.#state;
  }

  /** Starts the clock of the timeline; resolves once the steps due at once (offset 0) are applied. */
  start(): Promise<void> {
    const { clock, timers } = this.#options;
    this.#startedAt = clock.now();
    this.#emit('started', `${this.#plan.length} steps over ${formatDuration(this.#durationMs)}`);
    for (const planned of this.#plan) {
      if (planned.atMs === 0) this.#run(planned);
      else this.#cancels.push(timers.setTimer(planned.atMs, () => this.#run(planned)));
    }
    return this.idle();
  }

  /** Stops before the remaining steps; what was applied stays applied. */
  stop(reason = 'stopped'): void {
    if (this.#state !== 'running') return;
    this.#finish('stopped', reason);
  }

  /** Resolves when no step is being applied (a key rotation takes a moment). */
  idle(): Promise<void> {
    return this.#tail;
  }

  status(): ScenarioStatus {
    const now = this.#options.clock.now();
    const elapsed = Math.max(0, now - this.#startedAt);
    const next = this.#state === 'running' ? this.#plan.find((planned) => planned.status.state === 'pending') : undefined;
    const description = this.#options.scenario.description;
    return {
      name: this.name,
      ...(description === undefined ? {} : { description }),
      state: this.#state,
      startedAt: new Date(this.#startedAt).toISOString(),
      endsAt: new Date(this.#startedAt + this.#durationMs).toISOString(),
      durationSeconds: this.#durationMs / 1000,
      elapsedSeconds: Math.round(elapsed / 100) / 10,
      timeLeftSeconds: this.#state === 'running' ? Math.max(0, Math.round((this.#durationMs - elapsed) / 100) / 10) : 0,
      next: next === undefined ? null : { index: next.status.index, at: next.status.at, inSeconds: Math.max(0, Math.round((next.atMs - elapsed) / 100) / 10), step: next.status.step },
      steps: this.#plan.map((planned) => ({ ...planned.status })),
    };
  }

  /** Applies at once when nothing is in progress, so a step is in force when its timer returns; else queues. */
  #run(planned: PlannedStep): void {
    if (this.#inFlight === 0) {
      const pending = this.#apply(planned);
      if (pending !== undefined) this.#track(pending);
      return;
    }
    this.#track(this.#tail.then(() => this.#apply(planned)));
  }

  #track(work: Promise<void>): void {
    this.#inFlight++;
    this.#tail = work.finally(() => {
      this.#inFlight--;
    });
  }

  #apply(planned: PlannedStep): Promise<void> | undefined {
    if (this.#state !== 'running') return undefined;
    const done = () => this.#applied(planned);
    const failed = (error: unknown) => this.#failed(planned, error);
    try {
      const result = applyScenarioStep(this.#options.controls, planned.step);
      if (result !== undefined) return result.then(done, failed);
      done();
    } catch (error) {
      failed(error);
    }
    return undefined;
  }

  #applied(planned: PlannedStep): void {
    planned.status.state = 'applied';
    planned.status.appliedAt = new Date(this.#options.clock.now()).toISOString();
    if ('action' in planned.step && planned.step.action === 'end') {
      this.#finish('finished', `ended at ${planned.status.at}`);
      return;
    }
    this.#emit('step', `${planned.status.at}: ${planned.status.step}`);
    this.#finishIfDone();
  }

  /** A refused step (say, a rule naming a tenant since removed) is reported and the timeline goes on. */
  #failed(planned: PlannedStep, error: unknown): void {
    planned.status.state = 'failed';
    planned.status.appliedAt = new Date(this.#options.clock.now()).toISOString();
    planned.status.error = error instanceof Error ? error.message : String(error);
    this.#emit('step-failed', `${planned.status.at}: ${planned.status.step} failed: ${planned.status.error}`);
    this.#finishIfDone();
  }

  #finishIfDone(): void {
    if (this.#state === 'running' && this.#plan.every((planned) => planned.status.state !== 'pending')) this.#finish('finished', 'every step applied');
  }

  #finish(state: Exclude<ScenarioState, 'running'>, detail: string): void {
    this.#state = state;
    for (const cancel of this.#cancels) cancel();
    this.#cancels = [];
    for (const planned of this.#plan) if (planned.status.state === 'pending') planned.status.state = 'skipped';
    this.#emit(state, detail);
  }

  #emit(change: ScenarioEvent['change'], detail: string): void {
    this.#options.events.emit({ type: 'scenario', at: this.#options.clock.now(), name: this.name, change, detail });
  }
}
