/** Why a tenant could not be added or removed while the sandbox runs; the admin API maps each code to a status. */
export type TenantChangeErrorCode =
  /** Another tenant has this id. */
  | 'tenant-exists'
  | 'tenant-not-found'
  /** Only upstream tenants come and go at run time: a generated tenant's data belongs to the profile. */
  | 'tenant-not-upstream'
  /** The upstream answered, but must not serve this tenant: another FHIR version, refused credentials, no FHIR server. */
  | 'upstream-refused'
  /** The upstream did not answer (down, or too slow). */
  | 'upstream-unreachable';

export class TenantChangeError extends Error {
  readonly code: TenantChangeErrorCode;

  constructor(code: TenantChangeErrorCode, message: string) {
    super(message);
    this.name = 'TenantChangeError';
    this.code = code;
  }
}
