import type { TokenIssuedEvent } from '../events/types.js';
import { jsonString } from '../lib/jsonString.js';
import { LOG_LEVEL } from './requestLogLine.js';

/**
 * A token-issued event as the log line pino wrote for it (`level`, `time`, `event`, the event's
 * fields in order, `msg`), built as text: a client fetching tokens in a loop logs one per token.
 */
export function tokenIssuedLogLine(event: TokenIssuedEvent, time: string): string {
  // Client ids come from registrations and may hold anything; tenant ids and jtis are GUIDs.
  const clientId = jsonString(event.clientId);
  return (
    `{"level":${LOG_LEVEL.info},"time":"${time}","event":"token-issued","clientId":${clientId},` +
    `"tenantId":"${event.tenantId}","jti":"${event.jti}","expiresAt":${event.expiresAt},"msg":"token-issued"}\n`
  );
}
