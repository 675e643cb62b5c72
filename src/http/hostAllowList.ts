import { hostNameOf, isLoopbackHostName } from '../lib/hostName.js';

/**
 * The host names the control plane answers to: loopback names, the host of --public-url and the
 * --allowed-hosts, each with any port. A DNS-rebinding page reaches the sandbox under its own
 * domain name, which is none of these.
 */
export class HostAllowList {
  readonly #named: ReadonlySet<string>;

  constructor(publicBaseUrl: string | undefined, allowedHosts: readonly string[]) {
    const names = allowedHosts.map(hostNameOf).filter((name): name is string => name !== undefined);
    if (publicBaseUrl !== undefined) names.push(new URL(publicBaseUrl).hostname);
    this.#named = new Set(names);
  }

  /** `host` as the request's Host header carries it (`name[:port]`). */
  allows(host: string): boolean {
    const name = hostNameOf(host);
    return name !== undefined && (isLoopbackHostName(name) || this.#named.has(name));
  }
}
