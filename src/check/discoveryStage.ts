import { pageLoadSearches } from '../simulator/pageLoadBatch.js';
import { tokenUrlFromMetadata } from '../simulator/tokenUrlFromMetadata.js';
import { describeAnswer } from './answerReading.js';
import { DISCOVERY } from './checkCatalog.js';
import { CheckTargetUnreachable } from './checkErrors.js';
import { unmet } from './checkPrerequisites.js';
import { failed, passed, skipped, type CheckRun, type Verdict } from './checkRun.js';
import { publicRequest } from './clientRequests.js';
import { isObject, type JsonObject } from './fhirJson.js';
import { valuesAt } from './fieldPaths.js';
import type { Exchange } from './httpTransport.js';
import type { RunFacts } from './runFacts.js';
import { VERSION_CALL_SETS, versionDeclaredAs, type VersionCallSet } from './versionCallSets.js';

/** restful-security-service codes that mean OAuth 2.0: plain, or as SMART App Launch profiles it. */
const OAUTH_SERVICE_CODES: ReadonlySet<string> = new Set(['OAuth', 'SMART-on-FHIR']);

/**
 * What the client reads before it has a token: the capability document (version, token URL, what is
 * supported) and, where the partner serves one, the SMART discovery document.
 * Throws CheckTargetUnreachable when metadata gets no answer at all.
 */
export async function discoveryStage(run: CheckRun, facts: RunFacts): Promise<void> {
  let first: Exchange | undefined;
  await run.check(DISCOVERY.metadata, async () => {
    first = await run.send(publicRequest(facts, 'metadata'));
    return readMetadata(run, facts, first);
  });
  if (first !== undefined && first.status === undefined) throw new CheckTargetUnreachable(first.request.url, first.failure ?? 'no answer');

  chooseVersion(facts);
  await run.check(DISCOVERY.resourceType, async () => resourceTypeVerdict(facts));
  await run.check(DISCOVERY.fhirVersion, async () => fhirVersionVerdict(facts));
  await run.check(DISCOVERY.oauthUris, async () => oauthUrisVerdict(facts));
  await run.check(DISCOVERY.securityService, async () => securityServiceVerdict(facts));
  await run.check(DISCOVERY.smartConfiguration, () => smartConfigurationVerdict(run, facts));
  await run.check(DISCOVERY.searchParams, async () => searchParamsVerdict(facts));
}

function readMetadata(run: CheckRun, facts: RunFacts, exchange: Exchange): Verdict {
  if (exchange.status !== 200) return failed(describeAnswer(run, exchange), exchange);
  const parsed = run.json(exchange);
  if (!parsed.ok) return failed(parsed.problem, exchange);
  if (!isObject(parsed.value) || typeof parsed.value.resourceType !== 'string') return failed('the body is not a FHIR resource', exchange);
  facts.metadata = parsed.value;
  return passed(`HTTP 200 without a token: ${parsed.value.resourceType}`, exchange);
}

/** --version wins; otherwise metadata's fhirVersion decides. Without either nothing after discovery can run. */
function chooseVersion(facts: RunFacts): void {
  const declared = facts.metadata?.fhirVersion;
  if (typeof declared === 'string') facts.declaredFhirVersion = declared;
  const version = facts.options.version ?? (facts.declaredFhirVersion === undefined ? undefined : versionDeclaredAs(facts.declaredFhirVersion));
  if (version !== undefined) facts.callSet = VERSION_CALL_SETS[version];
  else facts.blocked.version = 'the FHIR version is unknown (discovery.fhir-version failed): give --version dstu2|stu3|r4';
}

function resourceTypeVerdict(facts: RunFacts): Verdict {
  if (facts.metadata === undefined) return skipped('no metadata (discovery.metadata failed)');
  const type = String(facts.metadata.resourceType);
  const expected = facts.callSet?.capabilityType;
  if (expected === undefined) {
    return type === 'Conformance' || type === 'CapabilityStatement' ? passed(type) : failed(`${type} is neither a Conformance nor a CapabilityStatement`);
  }
  return type === expected ? passed(`${type}, as ${facts.callSet?.label} names it`) : failed(`${type}; ${facts.callSet?.label} serves a ${expected}`);
}

function fhirVersionVerdict(facts: RunFacts): Verdict {
  if (facts.metadata === undefined) return skipped('no metadata (discovery.metadata failed)');
  const declared = facts.declaredFhirVersion;
  const given = facts.options.version;
  if (declared === undefined) return failed(`metadata declares no fhirVersion${given === undefined ? ' (give --version to check anyway)' : ''}`);
  const meant = versionDeclaredAs(declared);
  if (meant === undefined) return failed(`fhirVersion ${declared} is not a version the client speaks (DSTU2 1.0.x, STU3 3.0.x, R4 4.0.x)`);
  if (given !== undefined && meant !== given) return failed(`fhirVersion ${declared} is ${VERSION_CALL_SETS[meant].label}, but --version says ${given}`);
  return passed(`fhirVersion ${declared} (${VERSION_CALL_SETS[meant].label})`);
}

function oauthUrisVerdict(facts: RunFacts): Verdict {
  const given = facts.options.tokenUrl;
  const advertised = facts.metadata === undefined ? undefined : tokenUrlFromMetadata(facts.metadata);
  facts.tokenUrl = given ?? (advertised !== undefined && isHttpUrl(advertised) ? advertised : undefined);
  if (facts.tokenUrl === undefined) {
    facts.blocked.token = 'no token URL: metadata advertises none (discovery.oauth-uris failed) and no --token-url was given';
  }
  const override = given !== undefined && given !== advertised ? `; --token-url ${given} is used instead` : '';
  if (facts.metadata === undefined) return skipped('no metadata (discovery.metadata failed)');
  if (advertised === undefined) return failed(`rest[0].security has no oauth-uris extension with a token URL${override}`);
  if (!isHttpUrl(advertised)) return failed(`the advertised token URL ${JSON.stringify(advertised)} is not an absolute http(s) URL${override}`);
  return passed(`token URL ${advertised}${override}`);
}

function securityServiceVerdict(facts: RunFacts): Verdict {
  if (facts.metadata === undefined) return skipped('no metadata (discovery.metadata failed)');
  const codings = valuesAt(facts.metadata, 'rest[0].security.service.coding');
  // The code system moved to terminology.hl7.org in R4; its name stayed.
  const oauth = codings.find(
    (coding) => isObject(coding) && typeof coding.code === 'string' && OAUTH_SERVICE_CODES.has(coding.code) && typeof coding.system === 'string' && coding.system.endsWith('restful-security-service'),
  );
  return isObject(oauth) ? passed(`security.service is ${String(oauth.code)}`) : failed('rest[0].security.service has no OAuth or SMART-on-FHIR coding');
}

async function smartConfigurationVerdict(run: CheckRun, facts: RunFacts): Promise<Verdict> {
  const exchange = await run.send(publicRequest(facts, '.well-known/smart-configuration'));
  if (exchange.status !== undefined && exchange.status >= 400 && exchange.status < 500) {
    return skipped(`not served publicly (HTTP ${exchange.status}): nothing to cross-check`);
  }
  if (exchange.status !== 200) return failed(describeAnswer(run, exchange), exchange);
  const parsed = run.json(exchange);
  if (!parsed.ok || !isObject(parsed.value)) return failed(parsed.ok ? 'the body is not a JSON object' : parsed.problem, exchange);
  const endpoint = parsed.value.token_endpoint;
  if (typeof endpoint !== 'string') return failed('it has no token_endpoint', exchange);
  const advertised = facts.metadata === undefined ? undefined : tokenUrlFromMetadata(facts.metadata);
  if (advertised !== undefined && endpoint !== advertised) return failed(`token_endpoint ${endpoint}, but metadata advertises ${advertised}`, exchange);
  const { auth } = facts.options;
  const assertionGap = auth.method === 'private_key_jwt' ? assertionSupportGap(parsed.value, auth.signer.alg) : undefined;
  if (assertionGap !== undefined) return failed(`token_endpoint ${endpoint}, but ${assertionGap}`, exchange);
  const agreement = advertised === undefined ? ' (metadata advertises none to compare)' : ', as metadata says';
  const assertions = auth.method === 'private_key_jwt' ? `; private_key_jwt with ${auth.signer.alg} advertised` : '';
  return passed(`token_endpoint ${endpoint}${agreement}${assertions}`, exchange);
}

/**
 * SMART Backend Services: a partner that takes signed assertions says so in its discovery document,
 * with the algorithms it verifies; a client reads them to know its key will do.
 */
function assertionSupportGap(configuration: JsonObject, alg: string): string | undefined {
  const methods = configuration.token_endpoint_auth_methods_supported;
  if (!Array.isArray(methods) || !methods.includes('private_key_jwt')) return `token_endpoint_auth_methods_supported does not list private_key_jwt (${JSON.stringify(methods ?? null)})`;
  const algorithms = configuration.token_endpoint_auth_signing_alg_values_supported;
  if (!Array.isArray(algorithms) || !algorithms.includes(alg)) return `token_endpoint_auth_signing_alg_values_supported does not list ${alg}, the key's algorithm (${JSON.stringify(algorithms ?? null)})`;
  return undefined;
}

function searchParamsVerdict(facts: RunFacts): Verdict {
  const waiting = unmet(facts, 'version');
  if (waiting !== undefined) return waiting;
  if (facts.metadata === undefined) return skipped('no metadata (discovery.metadata failed)');
  const declared = declaredSearchParams(facts.metadata);
  const gaps: string[] = [];
  for (const [type, params] of neededSearchParams(facts.callSet as VersionCallSet)) {
    const have = declared.get(type);
    if (have === undefined) {
      gaps.push(`${type} is not declared`);
      continue;
    }
    const lacking = params.filter((param) => !have.has(param));
    if (lacking.length > 0) gaps.push(`${type} lacks ${lacking.join(', ')}`);
  }
  return gaps.length === 0 ? passed('every resource type and search parameter the client uses is declared') : failed(gaps.join('; '));
}

/** rest[0].resource[].searchParam[].name, by resource type. */
function declaredSearchParams(metadata: JsonObject): Map<string, Set<string>> {
  const declared = new Map<string, Set<string>>();
  for (const resource of valuesAt(metadata, 'rest[0].resource')) {
    if (!isObject(resource) || typeof resource.type !== 'string') continue;
    declared.set(resource.type, new Set(valuesAt(resource, 'searchParam.name').filter((name): name is string => typeof name === 'string')));
  }
  return declared;
}

/** The parameters the client's searches use, by resource type: modifiers dropped, `_count`/`_sort`/`_id` left out. */
export function neededSearchParams(callSet: VersionCallSet): Map<string, string[]> {
  const needed = new Map<string, string[]>([['Patient', [...callSet.patientSearchParams]]]);
  for (const url of [...pageLoadSearches(callSet.searchSyntax, 'x'), ...callSet.extraSearches('x')]) {
    const [type = '', query = ''] = url.split('?');
    const names = [...new URLSearchParams(query).keys()].map((name) => name.split(':')[0] ?? name).filter((name) => !name.startsWith('_'));
    needed.set(type, [...new Set([...(needed.get(type) ?? []), ...names])]);
  }
  return needed;
}

function isHttpUrl(value: string): boolean {
  try {
    const url = new URL(value);
    return url.protocol === 'http:' || url.protocol === 'https:';
  } catch {
    return false;
  }
}
