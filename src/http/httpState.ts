import type { FormFields } from '../auth/tokenRequest.js';
import type { VerifiedToken } from '../auth/tokenVerifier.js';
import type { FaultTarget } from '../faults/types.js';
import type { FhirVersion } from '../fhir/types.js';
import type { GatewayRoute } from './gatewayRoute.js';

/** What middlewares leave on `ctx.state` for later ones and for the request event. */
export interface SandboxState {
  requestId: string;
  tenantId?: string;
  clientId?: string;
  token?: VerifiedToken;
  /** Set by the FHIR gateway: which version's base, and what kind of request (its pattern is logged). */
  fhirVersion?: FhirVersion;
  route?: GatewayRoute;
  /** Set by a route that may be faulted, before the fault middleware runs. */
  faultTarget?: FaultTarget;
  /** The token request's form fields, parsed before the fault layer runs. */
  tokenForm?: FormFields;
  /** Set by the fault middleware: the name of the rule that shaped this response. */
  fault?: string;
  /** Set by the fault middleware before the handler runs: a fault will reshape the body, so a handler that streams hands it over whole. */
  reshapeBody?: boolean;
  /** Set for upstream tenants: how long the upstream took to answer, in ms. */
  upstreamMs?: number;
}
