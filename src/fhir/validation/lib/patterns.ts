/**
 * FHIR regular expressions as RegExps. The FHIR specification means them to match the whole value
 * (JSON Schema's unanchored `pattern` would accept "born 1951" as a date), so they are anchored.
 */

// Anchored, STU3's code pattern backtracks exponentially on input like "aaaa…a  " (a request body
// could hang the server), so it runs as an equivalent that matches the same strings in linear time.
const LINEAR_EQUIVALENTS: Readonly<Record<string, string>> = {
  '[^\\s]+([\\s]?[^\\s]+)*': '[^\\s]+(\\s[^\\s]+)*',
};

const cache = new Map<string, RegExp>();

export function fhirPattern(pattern: string): RegExp {
  let regExp = cache.get(pattern);
  if (!regExp) {
    regExp = new RegExp(`^(?:${LINEAR_EQUIVALENTS[pattern] ?? pattern})$`);
    cache.set(pattern, regExp);
  }
  return regExp;
}
