import { retryDelay } from './retryDelay.js';
import { pause, type SimulatorContext } from './simulatorContext.js';
import { GaveUpError } from './simulatorErrors.js';

export interface HttpResult {
  status: number;
  headers: Headers;
  body: unknown;
}

/** Reads a response body; undefined when the text is not what the call expects (then it is retried). */
export type BodyReader = (text: string) => unknown;

/**
 * One logical call with the reference client's patience: network errors, unreadable bodies, 429 and
 * 5xx are retried with backoff; each retry is reported so the operator sees what the client went through.
 * `send` builds the request anew on every try (a token may have been refreshed in between).
 */
export async function retryingRequest(
  context: SimulatorContext,
  label: string,
  send: () => Promise<Response>,
  tenantId?: string,
  read: { reader: BodyReader; expected: string } = { reader: parseJson, expected: 'JSON' },
): Promise<HttpResult> {
  let lastProblem = 'no attempt made';
  for (let attempt = 0; attempt < context.retry.attempts; attempt++) {
    let retryAfter: string | null = null;
    try {
      const response = await send();
      const text = await response.text();
      if (response.status === 429 || response.status >= 500) {
        lastProblem = `HTTP ${response.status}`;
        retryAfter = response.headers.get('Retry-After');
      } else {
        const body = text === '' ? undefined : read.reader(text);
        if (body === undefined && text !== '') {
          lastProblem = `HTTP ${response.status} with a body that is not ${read.expected}`;
        } else {
          return { status: response.status, headers: response.headers, body };
        }
      }
    } catch (error) {
      if (context.signal.aborted) throw error;
      lastProblem = describeNetworkError(error);
    }
    if (attempt + 1 >= context.retry.attempts) break;
    const wait = retryDelay(context.retry, attempt, retryAfter, context.random.next());
    if ('tooLongMs' in wait) throw new GaveUpError(label, `${lastProblem} with Retry-After ${wait.tooLongMs / 1000}s, longer than this client waits`, wait.tooLongMs);
    context.report('retry', `${label}: ${lastProblem}; retry ${attempt + 1}/${context.retry.attempts - 1} in ${wait.waitMs}ms`, tenantId);
    await pause(context, wait.waitMs);
  }
  throw new GaveUpError(label, `${lastProblem} after ${context.retry.attempts} tries`);
}

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return undefined;
  }
}

/** fetch() wraps socket errors in a TypeError whose cause names what happened (ECONNRESET, "other side closed"). */
function describeNetworkError(error: unknown): string {
  const cause = (error as { cause?: { code?: unknown; message?: unknown } })?.cause;
  if (typeof cause?.code === 'string') return cause.code;
  if (typeof cause?.message === 'string') return cause.message;
  return error instanceof Error ? error.message : String(error);
}
