/**
 * The token with one character of its signature changed (a JWT), or of its end (an opaque token):
 * what a partner must refuse. The changed character sits mid-signature, where every bit counts.
 */
export function tamperToken(token: string): string {
  const lastDot = token.lastIndexOf('.');
  const start = lastDot === -1 ? 0 : lastDot + 1;
  const length = token.length - start;
  if (length === 0) return `${token}x`;
  const at = start + Math.floor(length / 2);
  const changed = token[at] === 'A' ? 'B' : 'A';
  return `${token.slice(0, at)}${changed}${token.slice(at + 1)}`;
}
