/** Limits on fetching a client's JWKS from its URL: the sandbox never waits or reads without bound. */
export interface JwksFetchLimits {
  /** The whole fetch, headers and body, in milliseconds. */
  timeoutMs: number;
  /** The largest document read, in bytes. */
  maxBytes: number;
  /** How long fetched keys are used before the URL is asked again, in seconds. */
  cacheSeconds: number;
}

export const DEFAULT_JWKS_LIMITS: JwksFetchLimits = { timeoutMs: 2000, maxBytes: 64 * 1024, cacheSeconds: 300 };

/** Why a JWKS URL gave no keys, in words that complete "the JWKS at <url> …". */
export class JwksFetchError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'JwksFetchError';
  }
}

/** GETs a JWK Set and returns its `keys`, within the time and size limits; throws JwksFetchError. */
export async function fetchJwks(url: string, { timeoutMs, maxBytes }: Pick<JwksFetchLimits, 'timeoutMs' | 'maxBytes'>): Promise<unknown[]> {
  const signal = AbortSignal.timeout(timeoutMs);
  try {
    const response = await fetch(url, { signal, headers: { Accept: 'application/jwk-set+json, application/json' } });
    if (response.status !== 200) {
      await response.body?.cancel();
      throw new JwksFetchError(`answered HTTP ${response.status}`);
    }
    const text = await readAtMost(response, maxBytes);
    return keysOf(text);
  } catch (error) {
    if (error instanceof JwksFetchError) throw error;
    if (signal.aborted) throw new JwksFetchError(`did not answer within ${timeoutMs} ms`);
    throw new JwksFetchError(`could not be fetched (${networkReason(error)})`);
  }
}

/** fetch() says "fetch failed"; the reason (ECONNREFUSED, ENOTFOUND, bad port, …) is in its cause. */
function networkReason(error: unknown): string {
  const cause = (error as { cause?: { code?: unknown; message?: unknown } } | undefined)?.cause;
  if (typeof cause?.code === 'string') return cause.code;
  if (typeof cause?.message === 'string') return cause.message;
  return error instanceof Error ? error.message : String(error);
}

/** The body as text, refused as soon as it passes `maxBytes` (whatever Content-Length claims). */
async function readAtMost(response: Response, maxBytes: number): Promise<string> {
  const tooLarge = () => new JwksFetchError(`is larger than the ${maxBytes} bytes a JWKS may be`);
  if (Number(response.headers.get('content-length') ?? 0) > maxBytes) {
    await response.body?.cancel();
    throw tooLarge();
  }
  const reader = response.body?.getReader();
  if (reader === undefined) return '';
  const chunks: Uint8Array[] = [];
  let size = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    size += value.byteLength;
    if (size > maxBytes) {
      await reader.cancel();
      throw tooLarge();
    }
    chunks.push(value);
  }
  return Buffer.concat(chunks).toString('utf8');
}

function keysOf(text: string): unknown[] {
  let document: unknown;
  try {
    document = JSON.parse(text);
  } catch {
    throw new JwksFetchError('is not JSON');
  }
  const keys = (document as { keys?: unknown } | null)?.keys;
  if (!Array.isArray(keys)) throw new JwksFetchError('is not a JWK Set (no "keys" array)');
  return keys;
}
