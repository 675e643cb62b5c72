import { describeAnswer } from './answerReading.js';
import { failed, passed, type CheckRun, type Verdict } from './checkRun.js';
import { isObject } from './fhirJson.js';
import type { Exchange } from './httpTransport.js';

/**
 * A token request the partner must refuse, judged as RFC 6749 section 5.2 (and SMART, for assertions)
 * asks: HTTP 400 or 401 with a JSON body whose error is "invalid_client". `what` names what was sent.
 */
export function invalidClientVerdict(run: CheckRun, exchange: Exchange, what: string): Verdict {
  if (exchange.status === undefined) return failed(describeAnswer(run, exchange), exchange);
  if (exchange.status === 200) return failed(`HTTP 200: ${what} was granted a token`, exchange);
  if (exchange.status !== 400 && exchange.status !== 401) return failed(`HTTP ${exchange.status}; RFC 6749 answers 400 or 401`, exchange);
  const parsed = run.json(exchange);
  if (!parsed.ok) return failed(`HTTP ${exchange.status}, but ${parsed.problem}`, exchange);
  const body = isObject(parsed.value) ? parsed.value : undefined;
  if (body?.error !== 'invalid_client') return failed(`HTTP ${exchange.status} with error ${JSON.stringify(body?.error)}, not "invalid_client"`, exchange);
  const description = typeof body.error_description === 'string' ? `: ${body.error_description}` : '';
  return passed(`HTTP ${exchange.status}, error "invalid_client"${description}`, exchange);
}
