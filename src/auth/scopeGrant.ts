import { OAuthError } from './oauthError.js';
import { formatSmartScope, isResourceScope, parseSmartScope, type SmartScope } from './smartScope.js';

/** The SMART scopes a client may be granted: `*` for any, else these (a profile or the admin API sets them). */
export type AllowedScopes = '*' | readonly SmartScope[];

export interface ScopeRequest {
  /** The request's `scope` parameter as sent. */
  scope: string | undefined;
  clientId: string;
  allowed: AllowedScopes;
  /** Resource types the tenant's server serves; a scope naming another type is refused. */
  servedTypes: readonly string[] | undefined;
}

/**
 * The SMART scopes a token gets, as text (empty: none, which means full access, today's contract).
 * Each requested scope is cut down to what the client is allowed. A client limited to some scopes
 * that asks for none gets all it is allowed (RFC 6749 §3.3's default), never unlimited access; one
 * that asks only for scopes it is not allowed is refused. Throws OAuthError invalid_scope.
 */
export function grantedScopes({ scope, clientId, allowed, servedTypes }: ScopeRequest): string[] {
  const requested = requestedScopes(scope, servedTypes);
  if (allowed === '*') return unique(requested.map(formatSmartScope));
  if (requested.length === 0) return unique(allowed.map(formatSmartScope));
  const granted = unique(requested.flatMap((wanted) => intersect(wanted, allowed)).map(formatSmartScope));
  if (granted.length === 0) {
    throw new OAuthError('invalid_scope', `client ${clientId} may not have any of the scopes asked for; it may have: ${allowed.map(formatSmartScope).join(' ')}`);
  }
  return granted;
}

/** The `system/…` scopes in a scope parameter; the tenant id and other words are not SMART scopes and pass by. */
function requestedScopes(scope: string | undefined, servedTypes: readonly string[] | undefined): SmartScope[] {
  const scopes: SmartScope[] = [];
  for (const token of (scope ?? '').split(/\s+/)) {
    if (!isResourceScope(token)) continue;
    const parsed = parseSmartScope(token);
    if ('problem' in parsed) throw new OAuthError('invalid_scope', parsed.problem);
    const { resourceType } = parsed.scope;
    if (servedTypes !== undefined && resourceType !== '*' && !servedTypes.includes(resourceType)) {
      throw new OAuthError('invalid_scope', `scope "${token}" names ${resourceType}, which this tenant's server does not serve (it serves ${servedTypes.join(', ')})`);
    }
    scopes.push(parsed.scope);
  }
  return scopes;
}

/** What of one requested scope the allowed scopes cover, per type, in the requested spelling. */
function intersect(wanted: SmartScope, allowed: readonly SmartScope[]): SmartScope[] {
  const byType = new Map<string, number>();
  for (const permit of allowed) {
    const resourceType = wanted.resourceType === '*' ? permit.resourceType : permit.resourceType === '*' || permit.resourceType === wanted.resourceType ? wanted.resourceType : undefined;
    const permissions = wanted.permissions & permit.permissions;
    if (resourceType !== undefined && permissions !== 0) byType.set(resourceType, (byType.get(resourceType) ?? 0) | permissions);
  }
  return [...byType].map(([resourceType, permissions]) => ({ resourceType, permissions, form: wanted.form }));
}

function unique(scopes: readonly string[]): string[] {
  return [...new Set(scopes)];
}
