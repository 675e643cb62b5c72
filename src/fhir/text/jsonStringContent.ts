// What JSON.stringify escapes in a string: quote, backslash, control characters and (unpaired) surrogates.
const JSON_ESCAPED = /["\\\u0000-\u001f\ud800-\udfff]/;

/**
 * A string as it appears between the quotes of its JSON (`JSON.stringify(text).slice(1, -1)`):
 * the text itself when nothing in it needs escaping, as a URL or an instant usually does not.
 */
export function jsonStringContent(text: string): string {
  return JSON_ESCAPED.test(text) ? JSON.stringify(text).slice(1, -1) : text;
}
