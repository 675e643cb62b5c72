const COMBINING_MARKS = /[\u0300-\u036f]/g;
const NON_ASCII = /[^\u0000-\u007f]/;

/** The search key for FHIR string matching: lower-case, accents stripped ("Zoë" → "zoe"). */
export function normalizeText(value: string): string {
  const lower = value.toLowerCase();
  // Most names are plain ASCII: skip the costly NFD pass for them.
  return NON_ASCII.test(lower) ? lower.normalize('NFD').replace(COMBINING_MARKS, '') : lower;
}
