import { PERMISSION_BITS, isResourceScope, parseSmartScope } from './smartScope.js';

/** An interaction as the FHIR gateway names it (the same words as the FHIR core's access predicate). */
export type ScopedInteraction = 'create' | 'read' | 'update' | 'delete' | 'search';

const BIT_OF: Readonly<Record<ScopedInteraction, number>> = {
  create: PERMISSION_BITS.c,
  read: PERMISSION_BITS.r,
  update: PERMISSION_BITS.u,
  delete: PERMISSION_BITS.d,
  search: PERMISSION_BITS.s,
};

/**
 * What a token's SMART scopes allow, worked out once when the token is verified (the verification
 * is cached with it), so the check on each request is two lookups and a bit test.
 */
export class ScopePermissions {
  readonly #anyType: number;
  readonly #byType: ReadonlyMap<string, number>;

  private constructor(anyType: number, byType: ReadonlyMap<string, number>) {
    this.#anyType = anyType;
    this.#byType = byType;
  }

  /** From a granted scope string (a token's `scope` claim); undefined when it holds no SMART scope, which means full access. */
  static fromScope(scope: string): ScopePermissions | undefined {
    let anyType = 0;
    const byType = new Map<string, number>();
    let found = false;
    for (const token of scope.split(/\s+/)) {
      if (!isResourceScope(token)) continue;
      found = true;
      const parsed = parseSmartScope(token);
      // Only this sandbox signs the claim; a scope it cannot read grants nothing.
      if ('problem' in parsed) continue;
      const { resourceType, permissions } = parsed.scope;
      if (resourceType === '*') anyType |= permissions;
      else byType.set(resourceType, (byType.get(resourceType) ?? 0) | permissions);
    }
    return found ? new ScopePermissions(anyType, byType) : undefined;
  }

  /** The check the FHIR core runs before each interaction; a bound arrow so the gateway hands it over as it is. */
  readonly permits = (interaction: ScopedInteraction, resourceType: string): boolean =>
    ((this.#anyType | (this.#byType.get(resourceType) ?? 0)) & BIT_OF[interaction]) !== 0;
}
