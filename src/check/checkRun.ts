import type { Clock } from '../lib/clock.js';
import type { CheckDefinition } from './checkCatalog.js';
import type { CheckOutcome, CheckResult } from './checkReport.js';
import { parseJsonBody, type ParsedBody } from './fhirJson.js';
import type { Exchange, HttpTransport, OutgoingRequest } from './httpTransport.js';
import { reportedRequest, reportedResponse, round } from './reportedExchange.js';

/** What a check concluded, and the exchange that shows it. */
export interface Verdict {
  outcome: CheckOutcome;
  detail: string;
  exchange?: Exchange;
  /** Calls examined, when the check judges other checks' calls rather than its own. */
  examined?: number;
}

export const passed = (detail: string, exchange?: Exchange): Verdict => ({ outcome: 'passed', detail, exchange });
export const failed = (detail: string, exchange?: Exchange): Verdict => ({ outcome: 'failed', detail, exchange });
export const skipped = (detail: string): Verdict => ({ outcome: 'skipped', detail });

/** A call some check made, kept for the HTTP and timing checks that judge all of them. */
export interface LoggedExchange {
  check: string;
  exchange: Exchange;
}

/**
 * The engine of one run: sends requests on behalf of the check that is running, records each check's
 * result with the exchange that decided it, and hands every result to the progress callback.
 */
export class CheckRun {
  readonly clock: Clock;
  readonly results: CheckResult[] = [];
  readonly log: LoggedExchange[] = [];
  readonly #transport: HttpTransport;
  readonly #onResult: (result: CheckResult) => void;
  readonly #parsed = new WeakMap<Exchange, ParsedBody>();
  #current = '';

  constructor(transport: HttpTransport, clock: Clock, onResult: (result: CheckResult) => void) {
    this.#transport = transport;
    this.clock = clock;
    this.#onResult = onResult;
  }

  /** Sends a request as part of the running check. */
  async send(request: OutgoingRequest): Promise<Exchange> {
    const exchange = await this.#transport.send(request);
    this.log.push({ check: this.#current, exchange });
    return exchange;
  }

  /** The answer's body as JSON, parsed once per exchange. */
  json(exchange: Exchange): ParsedBody {
    let parsed = this.#parsed.get(exchange);
    if (parsed === undefined) {
      parsed = exchange.failure === undefined ? parseJsonBody(exchange.text) : { ok: false, problem: `the answer broke off: ${exchange.failure}` };
      this.#parsed.set(exchange, parsed);
    }
    return parsed;
  }

  /** Runs one check; an exception inside it is that check's failure, not the run's end. */
  async check(definition: CheckDefinition, body: () => Promise<Verdict>): Promise<CheckResult> {
    this.#current = definition.id;
    const firstCall = this.log.length;
    let verdict: Verdict;
    try {
      verdict = await body();
    } catch (error) {
      verdict = failed(`the check itself failed: ${error instanceof Error ? error.message : String(error)}`);
    }
    const own = this.log.slice(firstCall);
    const result: CheckResult = {
      id: definition.id,
      stage: definition.stage,
      level: definition.level,
      title: definition.title,
      outcome: verdict.outcome,
      detail: verdict.detail,
      reason: definition.reason,
      calls: verdict.examined ?? own.length,
      ms: round(own.reduce((sum, logged) => sum + logged.exchange.ms, 0)),
    };
    if (verdict.exchange !== undefined) {
      result.request = reportedRequest(verdict.exchange.request);
      result.response = reportedResponse(verdict.exchange);
    }
    this.results.push(result);
    this.#current = '';
    this.#onResult(result);
    return result;
  }

  /** The result of an earlier check, by id. */
  outcomeOf(id: string): CheckOutcome | undefined {
    return this.results.find((result) => result.id === id)?.outcome;
  }
}
