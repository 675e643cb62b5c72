import type { ClientRegistry } from './clientRegistry.js';
import type { InvalidTokenReason } from './invalidTokenError.js';
import type { TokenPolicy } from './tokenPolicy.js';

/** What the sandbox signed into a token about who obtained it, for what, and when. */
export interface TokenFacts {
  clientId: string;
  tenantId: string;
  /** The client registration that obtained it (claim `reg`). */
  registration: number;
  /** Its issue number (claim `seq`), compared with revocation cut-offs. */
  sequence: number;
}

export interface StandingProblem {
  reason: InvalidTokenReason;
  message: string;
}

/**
 * Why a token this sandbox signed is no longer honoured, whatever its signature and expiry say: the
 * registration that obtained it is gone (deleted, or the id registered again since), the client may
 * no longer use its tenant, or it was issued before a revocation cut-off. Undefined while it stands.
 * The gateway asks on every use, cached verifications included; the token counts ask the same.
 */
export function tokenStandingProblem(token: TokenFacts, clients: ClientRegistry, policy: TokenPolicy): StandingProblem | undefined {
  const registration = clients.registrationOf(token.clientId);
  if (registration === undefined) return { reason: 'unknown-client', message: 'the client of this token no longer exists' };
  if (registration !== token.registration) {
    return { reason: 'unknown-client', message: 'the client registration that obtained this token was deleted (its id has been registered again since)' };
  }
  if (!clients.mayUseTenant(token.clientId, token.tenantId)) {
    return { reason: 'tenant-not-allowed', message: `client ${token.clientId} may not use tenant ${token.tenantId}` };
  }
  if (policy.isRevoked(token)) return { reason: 'revoked', message: 'the token has been revoked' };
  return undefined;
}
