import type { VerifiedToken } from '../auth/tokenVerifier.js';

/** Whether a verified token may read resources of a type: the one question every export read asks. */
export type ReadPermission = (token: VerifiedToken, resourceType: string) => boolean;

/**
 * The partner contract: the tenant in a token's scope grants everything that tenant's server holds.
 * Scope enforcement replaces this predicate and nothing else.
 */
export const tenantGrantsEveryType: ReadPermission = () => true;
