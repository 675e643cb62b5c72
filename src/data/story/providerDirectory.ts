import type { EncounterSetting } from '../codes/encounterTypes.js';
import type { Gender, PersonName, PostalAddress } from './patientStory.js';

/** The resources a provider shares among its patients: staff, places and the organisations involved. */
export interface ProviderDirectory {
  hospital: OrganizationStory;
  payors: PayorStory[];
  /** The hospital's staff, then practitioners that fixtures name. */
  practitioners: PractitionerStory[];
  /** The hospital's own staff: who generated stories draw from, so fixtures never change them. */
  staffPractitionerIds: string[];
  /** Primary-care staff: the ones a patient can have as general practitioner. */
  generalPractitionerIds: string[];
  locations: LocationStory[];
  /** The same locations grouped by setting, and the payors by kind: looked up once per encounter or patient. */
  locationsBySetting: Readonly<Record<EncounterSetting, readonly LocationStory[]>>;
  payorsByKind: Readonly<Record<PayorKind, readonly PayorStory[]>>;
  /** The provider's MRN namespace: MRNs are only unique within one hospital. */
  mrnSystem: string;
}

export interface OrganizationStory {
  id: string;
  name: string;
  phone: string;
  address: PostalAddress;
}

export type PayorKind = 'medicare' | 'medicaid' | 'commercial';

export interface PayorStory extends OrganizationStory {
  kind: PayorKind;
  /** Plan names this payor sells; a coverage picks one. */
  plans: readonly string[];
}

export interface PractitionerStory {
  id: string;
  name: PersonName;
  gender: Gender;
  npi: string;
  phone: string;
}

export interface LocationStory {
  id: string;
  name: string;
  setting: EncounterSetting;
}

/** How every reference to a practitioner is displayed; the spec's example expects "Jane Doe". */
export function practitionerDisplay(practitioner: PractitionerStory): string {
  return `${practitioner.name.given.join(' ')} ${practitioner.name.family}`;
}
