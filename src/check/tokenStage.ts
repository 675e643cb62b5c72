import { decodeJwt } from 'jose';
import { describeAnswer } from './answerReading.js';
import { TOKEN } from './checkCatalog.js';
import { unmet } from './checkPrerequisites.js';
import { failed, passed, skipped, type CheckRun, type Verdict } from './checkRun.js';
import { fhirRequest, readGrant, tokenRequest } from './clientRequests.js';
import { isObject } from './fhirJson.js';
import type { RunFacts, TokenGrant } from './runFacts.js';
import { tamperToken } from './tamperToken.js';

// Under this, the client fetches a token for nearly every page load.
const SHORTEST_USEFUL_LIFETIME_SECONDS = 60;

/** Client credentials as the client asks for them, then what the partner does with a bad secret and a bad token. */
export async function tokenStage(run: CheckRun, facts: RunFacts): Promise<void> {
  const grants: Partial<Record<TokenGrant['via'], TokenGrant>> = {};
  await run.check(TOKEN.basicAuth, () => requestGrant(run, facts, 'basic', grants));
  await run.check(TOKEN.formPost, () => requestGrant(run, facts, 'post', grants));
  // The form post is the contract's way; Basic carries on when only it works.
  facts.grant = grants.post ?? grants.basic;
  if (facts.grant === undefined && facts.blocked.token === undefined) facts.blocked.token = 'no token: token.form-post failed';
  await run.check(TOKEN.tenantInScope, async () => tenantInScopeVerdict(facts));
  await run.check(TOKEN.lifetime, async () => lifetimeVerdict(facts));
  await run.check(TOKEN.wrongSecret, () => wrongSecretVerdict(run, facts));
  await run.check(TOKEN.tamperedRefused, () => tamperedVerdict(run, facts));
}

async function requestGrant(run: CheckRun, facts: RunFacts, via: TokenGrant['via'], grants: Partial<Record<TokenGrant['via'], TokenGrant>>): Promise<Verdict> {
  if (facts.tokenUrl === undefined) return skipped(facts.blocked.token ?? 'no token URL');
  const exchange = await run.send(tokenRequest(facts, facts.tokenUrl, via));
  const read = readGrant(run, exchange, via);
  if ('problem' in read) return failed(read.problem, exchange);
  grants[via] = read.grant;
  return passed(`HTTP 200: a Bearer ${isJwt(read.grant.accessToken) ? 'JWT' : 'opaque token'}, expires_in ${read.grant.expiresInSeconds} s`, exchange);
}

function tenantInScopeVerdict(facts: RunFacts): Verdict {
  const waiting = unmet(facts, 'token');
  if (waiting !== undefined) return waiting;
  const grant = facts.grant as TokenGrant;
  const tenant = facts.options.tenant.toLowerCase();
  if (!isJwt(grant.accessToken)) return skipped('an opaque token: the tenant in its scope cannot be read from outside');
  const scope = jwtScope(grant.accessToken);
  if (scope === undefined) return failed('the JWT carries no scope claim');
  return scope.toLowerCase().split(/\s+/).includes(tenant) ? passed(`the JWT's scope is "${scope}"`) : failed(`the JWT's scope "${scope}" does not name tenant ${facts.options.tenant}`);
}

function lifetimeVerdict(facts: RunFacts): Verdict {
  const waiting = unmet(facts, 'token');
  if (waiting !== undefined) return waiting;
  const seconds = (facts.grant as TokenGrant).expiresInSeconds;
  return seconds >= SHORTEST_USEFUL_LIFETIME_SECONDS
    ? passed(`expires_in ${seconds} s`)
    : failed(`expires_in ${seconds} s: shorter than ${SHORTEST_USEFUL_LIFETIME_SECONDS} s`);
}

async function wrongSecretVerdict(run: CheckRun, facts: RunFacts): Promise<Verdict> {
  // Only a partner that grants the right secret can show how it refuses a wrong one.
  const waiting = unmet(facts, 'token');
  if (waiting !== undefined) return waiting;
  const via = (facts.grant as TokenGrant).via;
  const exchange = await run.send(tokenRequest(facts, facts.tokenUrl as string, via, `${facts.options.clientSecret}-wrong`));
  if (exchange.status === undefined) return failed(describeAnswer(run, exchange), exchange);
  const parsed = run.json(exchange);
  const error = parsed.ok && isObject(parsed.value) ? parsed.value.error : undefined;
  if (exchange.status === 200) return failed('HTTP 200: a wrong secret was granted a token', exchange);
  if (exchange.status !== 400 && exchange.status !== 401) return failed(`HTTP ${exchange.status}; RFC 6749 answers 400 or 401`, exchange);
  if (!parsed.ok) return failed(`HTTP ${exchange.status}, but ${parsed.problem}`, exchange);
  if (error !== 'invalid_client') return failed(`HTTP ${exchange.status} with error ${JSON.stringify(error)}, not "invalid_client"`, exchange);
  return passed(`HTTP ${exchange.status}, error "invalid_client"`, exchange);
}

async function tamperedVerdict(run: CheckRun, facts: RunFacts): Promise<Verdict> {
  const waiting = unmet(facts, 'version', 'token');
  if (waiting !== undefined) return waiting;
  const tampered = tamperToken((facts.grant as TokenGrant).accessToken);
  const exchange = await run.send(fhirRequest(facts, tampered, 'GET', 'Patient?_count=1'));
  const challenge = exchange.headers['www-authenticate'];
  if (exchange.status !== 401) return failed(`${describeAnswer(run, exchange)}; a tampered token must get 401`, exchange);
  if (challenge === undefined || !/^Bearer\b/i.test(challenge)) return failed(`HTTP 401 without WWW-Authenticate: Bearer (got ${JSON.stringify(challenge ?? null)})`, exchange);
  return passed(`HTTP 401, WWW-Authenticate: ${challenge}`, exchange);
}

function isJwt(token: string): boolean {
  return /^[\w-]+\.[\w-]+\.[\w-]*$/.test(token);
}

/** The scope claim of a JWT, unverified: the checker holds no key, and only reads what the partner put there. */
function jwtScope(token: string): string | undefined {
  try {
    const claims = decodeJwt(token);
    const scope = claims.scope ?? claims.scp;
    if (typeof scope === 'string') return scope;
    return Array.isArray(scope) ? scope.filter((item) => typeof item === 'string').join(' ') : undefined;
  } catch {
    return undefined;
  }
}
