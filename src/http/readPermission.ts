import type { VerifiedToken } from '../auth/tokenVerifier.js';

/** Whether a verified token may read resources of a type: the one question every export read asks. */
export type ReadPermission = (token: VerifiedToken, resourceType: string) => boolean;

/**
 * The SMART scopes the gateway enforces on every read, asked about one type: `system/*.read`,
 * `system/Observation.rs` and the like let a client export what they let it read. A token without
 * SMART scopes has the partner contract's access: everything its tenant's server holds.
 */
export const scopesGrantRead: ReadPermission = (token, resourceType) => token.permissions?.permits('read', resourceType) ?? true;
