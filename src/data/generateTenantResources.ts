import type { Resource } from '../fhir/types.js';
import { deriveSeed } from '../lib/random.js';
import { generatedPatientId, generatedPatientKey } from './ids.js';
import { createRenderContext } from './render/renderContext.js';
import { renderPatientRecord } from './render/renderPatientRecord.js';
import { renderProviderDirectory } from './render/renderProviderDirectory.js';
import { buildPatientStory, type StoryRequest } from './story/buildPatientStory.js';
import { buildProviderDirectory, type ExtraPractitioner } from './story/buildProviderDirectory.js';
import { parseIsoDate } from './story/calendar.js';
import { fixturePractitioner, fixtureStoryRequest } from './story/fixtureStoryRequest.js';
import type { StoryContext } from './story/storyContext.js';
import { buildTenantPools } from './story/tenantPools.js';
import { DEFAULT_REFERENCE_DATE, type TenantDataOptions } from './tenantDataOptions.js';

/** Generated MRNs: 2000000 plus a bijection of the index, unique for up to 7,999,999 patients. */
const MRN_BASE = 2_000_000;
const MRN_RANGE = 7_999_999;
const MRN_STEP = 7_919;

/**
 * Shared resources first (Organizations, Practitioners, Locations), then one array per patient
 * (Patient first): fixtures of this version, then the generated patients in index order.
 * Streaming keeps memory flat for 100,000-patient tenants. Every patient's story is drawn from a
 * seed derived from (tenant seed, patient index), so tenants never influence each other and
 * growing a tenant keeps its first patients identical.
 */
export function* generateTenantResources(options: TenantDataOptions): Generator<Resource[]> {
  checkOptions(options);
  const tenantSeed = deriveSeed(options.seed, `tenant:${options.tenantId}`);
  const referenceMs = parseIsoDate(options.referenceDate ?? DEFAULT_REFERENCE_DATE);
  const fixtures = (options.fixtures ?? []).filter(
    (fixture) => fixture.fhirVersions === undefined || fixture.fhirVersions.includes(options.fhirVersion),
  );
  const pools = buildTenantPools(deriveSeed(tenantSeed, 'pools'));
  const extraPractitioners = fixtures.map(fixturePractitioner).filter((practitioner): practitioner is ExtraPractitioner => practitioner !== undefined);
  const directory = buildProviderDirectory(deriveSeed(tenantSeed, 'directory'), options.providerName, pools, extraPractitioners);
  const storyContext: StoryContext = { pools, directory, referenceMs };
  const renderContext = createRenderContext(options.fhirVersion, directory, referenceMs);

  yield renderProviderDirectory(renderContext);
  for (const fixture of fixtures) {
    const request = fixtureStoryRequest(fixture, deriveSeed(tenantSeed, `fixture:${fixture.id}`));
    yield renderPatientRecord(buildPatientStory(request, storyContext), renderContext);
  }
  for (let index = 0; index < options.patientCount; index++) {
    yield renderPatientRecord(buildPatientStory(generatedStoryRequest(tenantSeed, index), storyContext), renderContext);
  }
}

function generatedStoryRequest(tenantSeed: number, index: number): StoryRequest {
  return {
    key: generatedPatientKey(index),
    patientId: generatedPatientId(index),
    seed: deriveSeed(tenantSeed, `patient:${index}`),
    mrn: String(MRN_BASE + ((index * MRN_STEP) % MRN_RANGE)),
  };
}

/** Misuse is a caller bug: a plain TypeError, raised before anything is generated. */
function checkOptions(options: TenantDataOptions): void {
  if (!Number.isInteger(options.seed)) throw new TypeError(`seed must be an integer, got ${options.seed}`);
  if (!Number.isInteger(options.patientCount) || options.patientCount < 0 || options.patientCount > MRN_RANGE) {
    throw new TypeError(`patientCount must be an integer from 0 to ${MRN_RANGE}, got ${options.patientCount}`);
  }
  if (options.tenantId === '') throw new TypeError('tenantId must not be empty');
  if (options.providerName.trim() === '') throw new TypeError('providerName must not be empty');
}
