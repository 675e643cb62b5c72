import type { EncounterSetting } from '../codes/encounterTypes.js';
import { deriveSeed } from '../../lib/random.js';
import { sharedResourceId } from '../ids.js';
import { fictionalPhone, slugify } from './contactDetails.js';
import type { Gender } from './patientStory.js';
import type { LocationStory, PayorKind, PayorStory, PractitionerStory, ProviderDirectory } from './providerDirectory.js';
import { StoryRandom } from './storyRandom.js';
import type { TenantPools } from './tenantPools.js';

const PRACTITIONER_COUNT = 24;
/** The first practitioners work in primary care and act as general practitioners. */
const GENERAL_PRACTITIONER_COUNT = 10;

const LOCATIONS: ReadonlyArray<readonly [string, EncounterSetting]> = [
  ['Primary Care Clinic', 'ambulatory'],
  ['Family Medicine Clinic', 'ambulatory'],
  ['Pediatric Clinic', 'ambulatory'],
  ['Cardiology Clinic', 'ambulatory'],
  ['Pulmonology Clinic', 'ambulatory'],
  ['Emergency Department', 'emergency'],
  ['Medical Ward 3A', 'inpatient'],
  ['Cardiology Ward 4B', 'inpatient'],
  ['Surgical Ward 5C', 'inpatient'],
  ['Pediatric Ward 2', 'inpatient'],
  ['Intensive Care Unit', 'inpatient'],
];

const PAYORS: ReadonlyArray<{ name: string; kind: PayorKind; plans: readonly string[] }> = [
  { name: 'Medicare', kind: 'medicare', plans: ['Medicare Part A and B', 'Medicare Advantage'] },
  { name: 'Medicaid', kind: 'medicaid', plans: ['Medicaid Managed Care'] },
  { name: 'Blue Cross Blue Shield', kind: 'commercial', plans: ['PPO Gold', 'HMO Silver'] },
  { name: 'Aetna', kind: 'commercial', plans: ['Open Access PPO', 'HMO Select'] },
  { name: 'UnitedHealthcare', kind: 'commercial', plans: ['Choice Plus PPO', 'Navigate HMO'] },
  { name: 'Cigna', kind: 'commercial', plans: ['Open Access Plus', 'LocalPlus HMO'] },
];

/** Practitioners a fixture names (e.g. Hugh Chau's GP); they join the directory but are never drawn for generated patients. */
export type ExtraPractitioner = Omit<PractitionerStory, 'npi' | 'phone'>;

export function buildProviderDirectory(
  seed: number,
  providerName: string,
  pools: TenantPools,
  extraPractitioners: readonly ExtraPractitioner[],
): ProviderDirectory {
  const random = new StoryRandom(seed);
  const practitioners: PractitionerStory[] = [];
  for (let ordinal = 1; ordinal <= PRACTITIONER_COUNT; ordinal++) {
    const gender: Gender = random.chance(0.5) ? 'female' : 'male';
    const given = random.pick(gender === 'female' ? pools.femaleGivenNames : pools.maleGivenNames);
    practitioners.push({
      id: sharedResourceId('prac', ordinal),
      name: { prefix: 'Dr', given: [given], family: random.pick(pools.familyNames) },
      gender,
      npi: `1${random.digits(9)}`,
      phone: fictionalPhone(random),
    });
  }
  const staffPractitionerIds = practitioners.map((practitioner) => practitioner.id);
  const generalPractitionerIds = staffPractitionerIds.slice(0, GENERAL_PRACTITIONER_COUNT);

  const locations: LocationStory[] = LOCATIONS.map(([name, setting], index) => ({
    id: sharedResourceId('loc', index + 1),
    name,
    setting,
  }));
  const hospital = { id: sharedResourceId('org', 1), name: providerName, phone: fictionalPhone(random), address: random.pick(pools.addresses) };
  const payors: PayorStory[] = PAYORS.map((payor, index) => ({
    ...payor,
    id: sharedResourceId('org', index + 2),
    phone: fictionalPhone(random),
    address: random.pick(pools.addresses),
  }));

  for (const extra of extraPractitioners) {
    if (practitioners.some((practitioner) => practitioner.id === extra.id)) continue;
    // Own stream per extra, so fixtures never shift what the tenant's other draws produce.
    const extraRandom = new StoryRandom(deriveSeed(seed, extra.id));
    practitioners.push({ ...extra, npi: `1${extraRandom.digits(9)}`, phone: fictionalPhone(extraRandom) });
  }

  const locationsIn = (setting: EncounterSetting): LocationStory[] => locations.filter((location) => location.setting === setting);
  const payorsOf = (kind: PayorKind): PayorStory[] => payors.filter((payor) => payor.kind === kind);
  return {
    hospital,
    payors,
    practitioners,
    staffPractitionerIds,
    generalPractitionerIds,
    locations,
    locationsBySetting: { ambulatory: locationsIn('ambulatory'), emergency: locationsIn('emergency'), inpatient: locationsIn('inpatient') },
    payorsByKind: { medicare: payorsOf('medicare'), medicaid: payorsOf('medicaid'), commercial: payorsOf('commercial') },
    mrnSystem: `https://${slugify(providerName) || 'provider'}.example.org/fhir/sid/mrn`,
  };
}
