/**
 * Request ids for the request log. They only need to be unique within this process: a counter is
 * enough, and cheaper than a UUID. One source per app, shared by the Koa path and the fast read.
 */
export type RequestIds = () => string;

const PREFIX = 'r';
const RADIX = 36;
// Ten base-36 digits stay below 2^53, so every such counter is an exact double.
const MAX_DIGITS = 10;

export function requestIds(): RequestIds {
  let served = 0;
  return () => formatRequestId(++served);
}

/** The id of the `counter`th request: "r" and the counter in base 36. */
export function formatRequestId(counter: number): string {
  return `${PREFIX}${counter.toString(RADIX)}`;
}

/**
 * The counter an id was formatted from, so a keeper of many ids can hold numbers instead of strings;
 * undefined for text that `formatRequestId` would not give back exactly (another spelling, another source).
 */
export function requestIdCounter(id: string): number | undefined {
  const digits = id.length - PREFIX.length;
  if (digits < 1 || digits > MAX_DIGITS || !id.startsWith(PREFIX)) return undefined;
  let counter = 0;
  for (let index = PREFIX.length; index < id.length; index++) {
    const value = base36Digit(id.charCodeAt(index));
    // A leading zero would not come back from toString.
    if (value < 0 || (value === 0 && index === PREFIX.length)) return undefined;
    counter = counter * RADIX + value;
  }
  return counter;
}

/** The value of a lower-case base-36 digit, or -1. */
function base36Digit(code: number): number {
  if (code >= 0x30 && code <= 0x39) return code - 0x30;
  if (code >= 0x61 && code <= 0x7a) return code - 0x61 + 10;
  return -1;
}
