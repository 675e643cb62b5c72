/**
 * The host name of a `host[:port]` as an HTTP Host header carries it: lower-cased, IPv6 in brackets,
 * the port dropped. Undefined when the text is anything more (user info, a path) or not a host.
 */
export function hostNameOf(host: string): string | undefined {
  if (host === '' || /[\s/\\?#@]/.test(host)) return undefined;
  try {
    const url = new URL(`http://${host}`);
    return url.hostname === '' ? undefined : url.hostname;
  } catch {
    return undefined;
  }
}

/** Whether a host name always means this machine: `localhost`, 127.0.0.0/8 or `[::1]`. */
export function isLoopbackHostName(hostName: string): boolean {
  return hostName === 'localhost' || hostName === '[::1]' || /^127\.\d{1,3}\.\d{1,3}\.\d{1,3}$/.test(hostName);
}
