import { pino, type DestinationStream } from 'pino';
import type { EventBus } from '../events/eventBus.js';

/**
 * Headless mode's output: one JSON line per request (and per token, warning or control change) on
 * stdout, so CI logs can be grepped or piped into jq.
 */
export function attachHeadlessLog(events: EventBus, destination: DestinationStream = pino.destination({ fd: 1, sync: false })): () => void {
  const logger = pino({ base: undefined, timestamp: pino.stdTimeFunctions.isoTime, messageKey: 'msg' }, destination);
  return events.subscribe((event) => {
    switch (event.type) {
      case 'request': {
        const { type: _type, at: _at, ...fields } = event;
        const level = event.status >= 500 ? 'error' : event.status >= 400 ? 'warn' : 'info';
        logger[level]({ event: 'request', ...fields }, `${event.method} ${event.path} ${event.status}`);
        return;
      }
      case 'warning':
        logger.warn({ event: 'warning' }, event.message);
        return;
      case 'seed-progress':
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
}
