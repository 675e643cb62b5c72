// What JSON.stringify writes differently from the text itself: quote, backslash, control characters
// and lone surrogates (escaped as \uXXXX). \u2028 and \u2029 it leaves as they are, but text holding
// them is rare enough to take the slow path. Paths, ids, URLs and instants almost never hold any of these.
const NEEDS_ESCAPING = /["\\\u0000-\u001f\u2028\u2029\ud800-\udfff]/;

export function needsEscaping(text: string): boolean {
  return NEEDS_ESCAPING.test(text);
}

/** `text` as a JSON string, byte for byte as JSON.stringify (and so pino) writes it. */
export function jsonString(text: string): string {
  return NEEDS_ESCAPING.test(text) ? JSON.stringify(text) : `"${text}"`;
}

/**
 * A string as it appears between the quotes of its JSON (`JSON.stringify(text).slice(1, -1)`):
 * the text itself when nothing in it needs escaping.
 */
export function jsonStringContent(text: string): string {
  return NEEDS_ESCAPING.test(text) ? JSON.stringify(text).slice(1, -1) : text;
}
