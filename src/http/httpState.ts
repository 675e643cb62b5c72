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
  /** Set by the fault middleware: what it did (latency, error, hang, reset, a response change…). */
  faultKind?: string;
  /** Set by the fault middleware: the client closed the connection while it waited. */
  clientClosed?: boolean;
  /** A refused bearer token's jti and why it was refused, for the request event (a good one is in `token`). */
  refusedTokenJti?: string;
  tokenRefused?: string;
  /** The jti of the token a token request was answered with. */
  issuedTokenJti?: string;
  /** The next-page link a searchset answer gives. */
  nextLink?: string;
}
