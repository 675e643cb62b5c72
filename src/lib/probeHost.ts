/**
 * The address a client on this machine uses to reach a server bound to `host`: a wildcard bind
 * (0.0.0.0, ::) is reached over loopback; IPv6 literals get the brackets a URL needs.
 */
export function probeHost(host: string): string {
  if (host === '0.0.0.0' || host === '') return '127.0.0.1';
  if (host === '::' || host === '[::]') return '[::1]';
  return host.includes(':') && !host.startsWith('[') ? `[${host}]` : host;
}
