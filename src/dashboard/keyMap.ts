/** The dashboard's keys, in the order the help shows them; the help bar and the `?` overlay both read this. */
export const KEY_MAP: ReadonlyArray<{ keys: string; short: string; description: string }> = [
  { keys: '↑/↓ tab', short: 'tenant', description: 'select a tenant' },
  { keys: 'l', short: 'latency', description: "cycle the selected tenant's latency: none → 200ms → 1s → lognormal 800ms" },
  { keys: 'e', short: 'errors', description: "cycle the selected tenant's errors: none → 503 → 429 → 500 → 502 (1 in 4)" },
  { keys: 't', short: 'token life', description: 'cycle the lifetime of new tokens: 3600 → 300 → 30 → 5 s' },
  { keys: 'x', short: 'expire', description: 'expire every token issued so far' },
  { keys: 'k', short: 'rotate key', description: 'rotate the signing key (old tokens are refused)' },
  { keys: 'b', short: 'client', description: 'select the next client in the Clients line' },
  { keys: 'K', short: 'client keys', description: "rotate the selected client's keys: fetch its JWKS URL now, or retire its oldest key once a newer one is registered" },
  { keys: 'p', short: 'preset', description: 'choose the next fault preset (tenant-outage hits the selected tenant)' },
  { keys: 'n', short: 'scenario', description: 'choose the next scenario (built-in, or from the profile)' },
  { keys: 'enter', short: 'apply', description: 'apply the chosen preset, or start the chosen scenario' },
  { keys: 'N', short: 'stop', description: 'stop the running scenario (what it applied stays)' },
  { keys: 'r', short: 'report', description: 'show or hide the report card: each client graded from its traffic' },
  { keys: 'space', short: 'pause', description: 'pause or resume the request log' },
  { keys: 'c', short: 'clear', description: 'clear the request log (also the admin API\'s)' },
  { keys: 's', short: 'secret', description: 'show or mask the demo client secret' },
  { keys: '?', short: 'help', description: 'show or hide this help' },
  { keys: 'q', short: 'quit', description: 'quit: in-flight requests finish first' },
];

/** The help bar's entries ("l latency") wrapped greedily into lines of `width` columns. */
export function helpBarLines(width: number): string[] {
  const lines: string[] = [];
  let current = '';
  for (const entry of KEY_MAP) {
    const item = `${entry.keys} ${entry.short}`;
    if (current !== '' && current.length + 2 + item.length > width) {
      lines.push(current);
      current = item;
    } else {
      current = current === '' ? item : `${current}  ${item}`;
    }
  }
  if (current !== '') lines.push(current);
  return lines;
}
