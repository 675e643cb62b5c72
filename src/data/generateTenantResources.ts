import type { Resource } from '../fhir/types.js';
import { deriveSeed } from '../lib/random.js';
import type { FixturePatient } from './fixtures/fixturePatient.js';
import { generatedPatientId, generatedPatientKey } from './ids.js';
import { createRenderContext, type RenderContext } from './render/renderContext.js';
import { renderCareTeamGroups } from './render/renderGroup.js';
import { renderPatientRecord } from './render/renderPatientRecord.js';
import { renderProviderDirectory } from './render/renderProviderDirectory.js';
import { buildPatientStory, generalPractitionerOf, type StoryRequest } from './story/buildPatientStory.js';
import { buildProviderDirectory, type ExtraPractitioner } from './story/buildProviderDirectory.js';
import { parseIsoDate } from './story/calendar.js';
import { CareTeamPanels } from './story/careTeamPanels.js';
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
  yield* renderTenant(prepareTenant(options), EVERY_BATCH);
}

/**
 * Everything a generated tenant is seeded with: generateTenantResources' batches unchanged, then one
 * last batch of care-team Groups (one per general practitioner, listing their patients). The Groups
 * come last because they can only list patients once every story has been told; they add records
 * and never change the bytes of the others.
 */
export function* generateTenantDataset(options: TenantDataOptions, rendered: BatchFilter = EVERY_BATCH): Generator<Resource[]> {
  const tenant = prepareTenant(options);
  const panels = new CareTeamPanels(tenant.storyContext.directory);
  let batch = 0;
  for (const resources of renderTenant(tenant, rendered, (patientId, generalPractitionerId) => panels.add(patientId, generalPractitionerId))) {
    batch++;
    yield resources;
  }
  yield rendered(batch) ? renderCareTeamGroups(panels.panels(), tenant.renderContext) : NOT_RENDERED;
}

/**
 * Which batches of a dataset to render, by position (0 is the directory, the Groups are last).
 * A seeding worker renders only the blocks it prepares: the others are yielded empty, and of
 * their patients only the general practitioner is drawn (the Groups list every patient).
 */
export type BatchFilter = (batch: number) => boolean;

const EVERY_BATCH: BatchFilter = () => true;
const NOT_RENDERED: Resource[] = [];

/** What every story and renderer of one tenant shares, drawn once from the tenant's seed. */
interface PreparedTenant {
  tenantSeed: number;
  fixtures: readonly FixturePatient[];
  storyContext: StoryContext;
  renderContext: RenderContext;
  patientCount: number;
}

function prepareTenant(options: TenantDataOptions): PreparedTenant {
  checkOptions(options);
  const tenantSeed = deriveSeed(options.seed, `tenant:${options.tenantId}`);
  const referenceMs = parseIsoDate(options.referenceDate ?? DEFAULT_REFERENCE_DATE);
  const fixtures = (options.fixtures ?? []).filter(
    (fixture) => fixture.fhirVersions === undefined || fixture.fhirVersions.includes(options.fhirVersion),
  );
  const pools = buildTenantPools(deriveSeed(tenantSeed, 'pools'));
  const extraPractitioners = fixtures.map(fixturePractitioner).filter((practitioner): practitioner is ExtraPractitioner => practitioner !== undefined);
  const directory = buildProviderDirectory(deriveSeed(tenantSeed, 'directory'), options.providerName, pools, extraPractitioners);
  return {
    tenantSeed,
    fixtures,
    storyContext: { pools, directory, referenceMs },
    renderContext: createRenderContext(options.fhirVersion, directory, referenceMs),
    patientCount: options.patientCount,
  };
}

/**
 * The directory batch, then each patient's batch, those `rendered` refuses yielded empty;
 * `onPatient` learns every patient's general practitioner, rendered or not.
 */
function* renderTenant(
  tenant: PreparedTenant,
  rendered: BatchFilter,
  onPatient?: (patientId: string, generalPractitionerId: string) => void,
): Generator<Resource[]> {
  const { tenantSeed, storyContext, renderContext } = tenant;
  let batch = 0;
  const render = (request: StoryRequest): Resource[] => {
    if (!rendered(batch++)) {
      if (onPatient !== undefined) onPatient(request.patientId, generalPractitionerOf(request, storyContext));
      return NOT_RENDERED;
    }
    const story = buildPatientStory(request, storyContext);
    onPatient?.(story.patientId, story.demographics.generalPractitionerId);
    return renderPatientRecord(story, renderContext);
  };
  yield rendered(batch++) ? renderProviderDirectory(renderContext) : NOT_RENDERED;
  for (const fixture of tenant.fixtures) yield render(fixtureStoryRequest(fixture, deriveSeed(tenantSeed, `fixture:${fixture.id}`)));
  for (let index = 0; index < tenant.patientCount; index++) yield render(generatedStoryRequest(tenantSeed, index));
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
