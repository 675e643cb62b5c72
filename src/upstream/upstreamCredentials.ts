import type { Clock } from '../lib/clock.js';
import { ClientCredentialsTokens } from './clientCredentialsTokens.js';
import type { UpstreamHttp } from './upstreamHttp.js';
import type { UpstreamAuth } from './upstreamSettings.js';

/** The Authorization header the sandbox sends upstream, whatever the kind of credentials. */
export interface UpstreamCredentials {
  /** The header for the next call, or undefined to send none. */
  authorization(): Promise<string | undefined>;
  /** The upstream answered 401 to `authorization`: true when fresh credentials exist to try once more. */
  refused(authorization: string | undefined): boolean;
}

export function upstreamCredentials(auth: UpstreamAuth, http: UpstreamHttp, clock: Clock): UpstreamCredentials {
  switch (auth.type) {
    case 'none':
      return fixed(undefined);
    case 'bearer':
      return fixed(`Bearer ${auth.token}`);
    case 'basic':
      return fixed(`Basic ${Buffer.from(`${auth.username}:${auth.password}`).toString('base64')}`);
    case 'client-credentials': {
      const tokens = new ClientCredentialsTokens(auth, http, clock);
      return {
        authorization: () => tokens.authorization(),
        refused: (authorization) => authorization !== undefined && tokens.refused(authorization),
      };
    }
  }
}

function fixed(authorization: string | undefined): UpstreamCredentials {
  return { authorization: () => Promise.resolve(authorization), refused: () => false };
}
