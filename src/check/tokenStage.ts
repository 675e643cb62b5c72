import { decodeJwt } from 'jose';
import { describeAnswer } from './answerReading.js';
import { TOKEN } from './checkCatalog.js';
import { unmet } from './checkPrerequisites.js';
import { failed, passed, skipped, type CheckRun, type Verdict } from './checkRun.js';
import { fhirRequest, freshCredentials, readGrant, tokenRequest } from './clientRequests.js';
import type { OutgoingRequest } from './httpTransport.js';
import type { RunFacts, TokenGrant } from './runFacts.js';
import { tamperToken } from './tamperToken.js';
import { invalidClientVerdict } from './tokenRefusals.js';

// Under this, the client fetches a token for nearly every page load.
const SHORTEST_USEFUL_LIFETIME_SECONDS = 60;

/**
 * Client credentials as the client asks for them (a secret, or a signed assertion), then what the
 * partner does with credentials it must refuse and with a tampered token.
 */
export async function tokenStage(run: CheckRun, facts: RunFacts): Promise<void> {
  if (facts.options.auth.method === 'private_key_jwt') await assertionChecks(run, facts);
  else await secretChecks(run, facts);
  await run.check(TOKEN.tamperedRefused, () => tamperedVerdict(run, facts));
}

async function secretChecks(run: CheckRun, facts: RunFacts): Promise<void> {
  const grants: Partial<Record<TokenGrant['via'], TokenGrant>> = {};
  await run.check(TOKEN.basicAuth, async () => (await requestGrant(run, facts, 'basic', grants)).verdict);
  await run.check(TOKEN.formPost, async () => (await requestGrant(run, facts, 'post', grants)).verdict);
  // The form post is the contract's way; Basic carries on when only it works.
  settleGrant(facts, grants.post ?? grants.basic, TOKEN.formPost.id);
  await grantChecks(run, facts);
  await run.check(TOKEN.wrongSecret, () => wrongSecretVerdict(run, facts));
}

async function assertionChecks(run: CheckRun, facts: RunFacts): Promise<void> {
  const grants: Partial<Record<TokenGrant['via'], TokenGrant>> = {};
  let granting: OutgoingRequest | undefined;
  await run.check(TOKEN.clientAssertion, async () => {
    const asked = await requestGrant(run, facts, 'assertion', grants);
    if (asked.verdict.outcome === 'passed') granting = asked.request;
    return asked.verdict;
  });
  settleGrant(facts, grants.assertion, TOKEN.clientAssertion.id);
  await grantChecks(run, facts);
  await run.check(TOKEN.assertionReplay, async () => {
    const waiting = unmet(facts, 'token');
    if (waiting !== undefined || granting === undefined) return waiting ?? skipped('no assertion was granted');
    return invalidClientVerdict(run, await run.send(granting), 'the assertion token.client-assertion already used');
  });
  await run.check(TOKEN.wrongAudience, () => wrongAudienceVerdict(run, facts));
  await run.check(TOKEN.tamperedAssertion, () => tamperedAssertionVerdict(run, facts));
}

/** What every grant is judged on, however the client authenticated. */
async function grantChecks(run: CheckRun, facts: RunFacts): Promise<void> {
  await run.check(TOKEN.tenantInScope, async () => tenantInScopeVerdict(facts));
  await run.check(TOKEN.lifetime, async () => lifetimeVerdict(facts));
}

function settleGrant(facts: RunFacts, grant: TokenGrant | undefined, decidedBy: string): void {
  facts.grant = grant;
  if (grant === undefined && facts.blocked.token === undefined) facts.blocked.token = `no token: ${decidedBy} failed`;
}

async function requestGrant(
  run: CheckRun,
  facts: RunFacts,
  via: TokenGrant['via'],
  grants: Partial<Record<TokenGrant['via'], TokenGrant>>,
): Promise<{ verdict: Verdict; request?: OutgoingRequest }> {
  if (facts.tokenUrl === undefined) return { verdict: skipped(facts.blocked.token ?? 'no token URL') };
  const request = tokenRequest(facts, facts.tokenUrl, await freshCredentials(run, facts, via, facts.tokenUrl));
  const exchange = await run.send(request);
  const read = readGrant(run, exchange, via);
  if ('problem' in read) return { verdict: failed(read.problem, exchange) };
  grants[via] = read.grant;
  return { verdict: passed(`HTTP 200: a Bearer ${isJwt(read.grant.accessToken) ? 'JWT' : 'opaque token'}, expires_in ${read.grant.expiresInSeconds} s`, exchange), request };
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
  const right = await freshCredentials(run, facts, (facts.grant as TokenGrant).via, facts.tokenUrl as string);
  if (right.via === 'assertion') throw new TypeError('token.wrong-secret is a check of secret clients');
  const exchange = await run.send(tokenRequest(facts, facts.tokenUrl as string, { via: right.via, secret: `${right.secret}-wrong` }));
  return invalidClientVerdict(run, exchange, 'a wrong secret');
}

/** An assertion made out to the FHIR base instead of the token URL: the audience a careless client picks. */
async function wrongAudienceVerdict(run: CheckRun, facts: RunFacts): Promise<Verdict> {
  const waiting = unmet(facts, 'token');
  if (waiting !== undefined) return waiting;
  const credentials = await freshCredentials(run, facts, 'assertion', facts.options.baseUrl);
  const exchange = await run.send(tokenRequest(facts, facts.tokenUrl as string, credentials));
  return invalidClientVerdict(run, exchange, `an assertion with aud ${facts.options.baseUrl}`);
}

async function tamperedAssertionVerdict(run: CheckRun, facts: RunFacts): Promise<Verdict> {
  const waiting = unmet(facts, 'token');
  if (waiting !== undefined) return waiting;
  const credentials = await freshCredentials(run, facts, 'assertion', facts.tokenUrl as string);
  if (credentials.via !== 'assertion') throw new TypeError('token.tampered-assertion is a check of private_key_jwt clients');
  const exchange = await run.send(tokenRequest(facts, facts.tokenUrl as string, { via: 'assertion', assertion: tamperToken(credentials.assertion) }));
  return invalidClientVerdict(run, exchange, 'an assertion whose signature does not verify');
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
