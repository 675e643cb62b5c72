import { pino } from 'pino';
import type { EventBus } from '../events/eventBus.js';
import type { RequestFinishedEvent, SeedProgressEvent } from '../events/types.js';
import type { ListeningDetails } from './listeningDetails.js';
import { requestLogFilter, type RequestLogMode } from '../config/requestLogMode.js';
import { lineBatch } from './lineBatch.js';
import { isoTimeNow, LOG_LEVEL, writeRequestLogLine } from './requestLogLine.js';
import { tokenIssuedLogLine } from './tokenIssuedLogLine.js';

/** Where the log's bytes go: stdout, or a Writable in tests. */
export interface LogDestination {
  write(bytes: Buffer): unknown;
  /** Calls back once everything written so far is out (stdout is written asynchronously). */
  flush?(done: () => void): void;
}

export interface HeadlessLog {
  /** The line a script waits for: the port actually bound and the URLs to call. */
  listening(details: ListeningDetails): void;
  /** Stops logging and resolves once every line is written (stdout is written asynchronously). */
  close(): Promise<void>;
}

// Seeding a large tenant emits progress often; a log needs it at most this often per tenant (plus "ready").
const SEED_PROGRESS_INTERVAL_MS = 1_000;
// A readiness probe answering 503 while tenants are seeded is the expected answer, not a server error.
const HEALTH_ROUTE = '/healthz';
// Request lines are gathered into writes of about this many bytes (one write per ~150 lines under load)…
const BATCH_BYTES = 64 * 1024;
// …and what is gathered goes out at least this often, so a tail -f sees a quiet server's lines.
const FLUSH_INTERVAL_MS = 200;

/**
 * Headless mode's output: one JSON line per request (and per token, warning or control change) on
 * stdout, so CI logs can be grepped or piped into jq.
 */
export function startHeadlessLog(events: EventBus, destination: LogDestination = stdoutBytes(), requests: RequestLogMode = 'all'): HeadlessLog {
  // Each batch is written as the bytes its lines were encoded to: a string destination would measure
  // and re-concatenate it before encoding it again.
  const requestLines = lineBatch((bytes) => destination.write(bytes), BATCH_BYTES);
  // pino formats the rare lines; they join the same batch, so the log keeps its order.
  const rareLines = {
    write: (line: string): void => {
      requestLines.append(line);
      requestLines.flush();
    },
  };
  const logger = pino({ base: undefined, timestamp: pino.stdTimeFunctions.isoTime, messageKey: 'msg' }, rareLines);
  const shouldLogProgress = seedProgressThrottle();
  const shouldLogRequest = requestLogFilter(requests);
  const timeNow = isoTimeNow();
  const flushAll = (done: () => void = () => undefined): void => {
    requestLines.flush();
    if (destination.flush === undefined) done();
    else destination.flush(done);
  };
  const flushing = setInterval(() => flushAll(), FLUSH_INTERVAL_MS).unref();
  const unsubscribe = events.subscribe((event) => {
    if (event.type === 'request') {
      if (shouldLogRequest(event.status)) writeRequestLogLine(event, LOG_LEVEL[requestLevel(event)], timeNow(), requestLines);
      return;
    }
    if (event.type === 'token-issued') {
      requestLines.append(tokenIssuedLogLine(event, timeNow()));
      return;
    }
    switch (event.type) {
      case 'warning':
        logger.warn({ event: 'warning' }, event.message);
        return;
      case 'seed-progress':
        if (!shouldLogProgress(event)) return;
        logger.info(
          { event: 'seed-progress', tenantId: event.tenantId, done: event.done, total: event.total },
          event.done === event.total ? 'tenant ready' : `seeding ${event.done}/${event.total} patients`,
        );
        return;
      default: {
        const { type, at: _at, ...fields } = event;
        logger.info({ event: type, ...fields }, type);
      }
    }
  });
  return {
    listening: (details) => {
      logger.info({ event: 'listening', ...details }, `listening on ${details.urls.base}`);
    },
    close: () => {
      unsubscribe();
      clearInterval(flushing);
      return new Promise((resolve) => flushAll(resolve));
    },
  };
}

/** fd 1, written asynchronously in whole batches, and flushed synchronously if the process exits first. */
function stdoutBytes(): LogDestination {
  // One batch is one write: the destination must not split it into its default 16 KB pieces.
  const stdout = pino.destination({ fd: 1, sync: false, maxWrite: 2 * BATCH_BYTES, contentMode: 'buffer' });
  return {
    // In buffer mode sonic-boom writes Buffers as they are; its types still name only strings.
    write: (bytes) => stdout.write(bytes as unknown as string),
    flush: (done) => stdout.flush(() => done()),
  };
}

function requestLevel(event: RequestFinishedEvent): 'info' | 'warn' | 'error' {
  if (event.route === HEALTH_ROUTE) return 'info';
  return event.status >= 500 ? 'error' : event.status >= 400 ? 'warn' : 'info';
}

/** At most one progress line per tenant per interval (by the event's own clock), and always the last one. */
function seedProgressThrottle(): (event: SeedProgressEvent) => boolean {
  const lastLoggedAt = new Map<string, number>();
  return (event) => {
    const last = lastLoggedAt.get(event.tenantId);
    if (event.done !== event.total && last !== undefined && event.at - last < SEED_PROGRESS_INTERVAL_MS) return false;
    lastLoggedAt.set(event.tenantId, event.at);
    return true;
  };
}
