import type { PractitionerStory, ProviderDirectory } from './providerDirectory.js';

/** One general practitioner's panel: the patients whose GP they are, in the order they were generated. */
export interface CareTeamPanel {
  /** The Group's id, derived from the practitioner's, so it never depends on how many patients there are. */
  id: string;
  practitioner: PractitionerStory;
  patientIds: readonly string[];
}

/**
 * Collects each general practitioner's patients while a tenant's stories stream past, so the
 * tenant's Groups can list them afterwards without keeping a story: only ids are held.
 */
export class CareTeamPanels {
  readonly #members = new Map<string, string[]>();
  readonly #practitioners: readonly PractitionerStory[];

  /** Every practitioner who can be a GP: the hospital's primary-care staff, then those fixtures name. */
  constructor(directory: ProviderDirectory) {
    const staff = new Set(directory.staffPractitionerIds);
    const primaryCare = new Set(directory.generalPractitionerIds);
    this.#practitioners = directory.practitioners.filter((practitioner) => primaryCare.has(practitioner.id) || !staff.has(practitioner.id));
    for (const practitioner of this.#practitioners) this.#members.set(practitioner.id, []);
  }

  add(patientId: string, generalPractitionerId: string): void {
    this.#members.get(generalPractitionerId)?.push(patientId);
  }

  /** One panel per possible GP, in directory order; a GP without patients has an empty panel. */
  panels(): CareTeamPanel[] {
    return this.#practitioners.map((practitioner) => ({
      id: `panel-${practitioner.id}`,
      practitioner,
      patientIds: this.#members.get(practitioner.id) ?? [],
    }));
  }
}
