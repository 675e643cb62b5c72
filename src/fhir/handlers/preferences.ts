/** The parts of a `Prefer` header (RFC 7240) the core honours. */
export interface Preferences {
  /** `handling=strict`: unknown search parameters are errors, not ignored. */
  strictHandling: boolean;
  /** `return=minimal`: a write answers without a body. */
  returnMinimal: boolean;
}

export function parsePrefer(header: string | undefined): Preferences {
  const tokens = (header ?? '').split(/[,;]/).map((token) => token.trim().toLowerCase().replace(/\s*=\s*/, '='));
  return { strictHandling: tokens.includes('handling=strict'), returnMinimal: tokens.includes('return=minimal') };
}
