import type { Resource } from '../../fhir/types.js';
import { ALLERGENS, REACTIONS } from '../codes/allergies.js';
import { R4_CODE_SYSTEMS } from '../codes/r4CodeSystems.js';
import { US_CORE_PROFILES } from '../codes/usCoreProfiles.js';
import { formatDateTime } from '../story/calendar.js';
import type { AllergyStory, PatientStory } from '../story/patientStory.js';
import { codeableConcept, meta, narrative, practitionerReference, profiledMeta, reference } from './datatypes.js';
import type { RenderContext } from './renderContext.js';

/**
 * AllergyIntolerance. DSTU2: `substance`, one `status` (confirmed/unconfirmed/inactive), criticality
 * CRITL/CRITH, `recordedDate`, one `note`. STU3: `code`, `clinicalStatus` + `verificationStatus`,
 * criticality low/high, `assertedDate`, lists of notes and categories. R4: the two statuses as
 * CodeableConcepts, `recordedDate` instead of `assertedDate`, US Core 3.1.1's AllergyIntolerance.
 */
export function renderAllergyIntolerance(allergy: AllergyStory, story: PatientStory, context: RenderContext): Resource {
  const allergen = ALLERGENS[allergy.key];
  const manifestation = REACTIONS[allergy.reaction];
  const substance = codeableConcept(allergen.concept, allergen.substanceText);
  const reaction = [
    { substance, manifestation: [codeableConcept(manifestation, manifestation.display)], severity: allergy.reactionSeverity },
  ];
  const text = narrative(`${allergen.substanceText} allergy: ${manifestation.display.toLowerCase()} (${allergy.reactionSeverity})`);
  const recorded = formatDateTime(allergy.recorded);
  const onset = formatDateTime(allergy.onset);
  const recorder = practitionerReference(context, allergy.recorderId);
  const patient = reference('Patient', story.patientId);
  switch (context.version) {
    case 'dstu2':
      return {
        resourceType: 'AllergyIntolerance',
        id: allergy.id,
        meta: meta(context),
        text,
        onset,
        recordedDate: recorded,
        recorder,
        patient,
        substance,
        status: allergy.active ? allergy.verification : 'inactive',
        criticality: allergy.criticality === 'high' ? 'CRITH' : 'CRITL',
        type: 'allergy',
        category: allergen.category,
        note: { text: allergy.note },
        reaction,
      };
    case 'stu3':
      return {
        resourceType: 'AllergyIntolerance',
        id: allergy.id,
        meta: meta(context),
        text,
        clinicalStatus: allergy.active ? 'active' : 'inactive',
        verificationStatus: allergy.verification,
        type: 'allergy',
        category: [allergen.category],
        criticality: allergy.criticality,
        code: substance,
        patient,
        onsetDateTime: onset,
        assertedDate: recorded,
        recorder,
        note: [{ text: allergy.note }],
        reaction,
      };
    case 'r4':
      return {
        resourceType: 'AllergyIntolerance',
        id: allergy.id,
        meta: profiledMeta(context, US_CORE_PROFILES.allergyIntolerance),
        text,
        clinicalStatus: codeableConcept(
          allergy.active
            ? { system: R4_CODE_SYSTEMS.allergyClinical, code: 'active', display: 'Active' }
            : { system: R4_CODE_SYSTEMS.allergyClinical, code: 'inactive', display: 'Inactive' },
        ),
        verificationStatus: codeableConcept(
          allergy.verification === 'confirmed'
            ? { system: R4_CODE_SYSTEMS.allergyVerification, code: 'confirmed', display: 'Confirmed' }
            : { system: R4_CODE_SYSTEMS.allergyVerification, code: 'unconfirmed', display: 'Unconfirmed' },
        ),
        type: 'allergy',
        category: [allergen.category],
        criticality: allergy.criticality,
        code: substance,
        patient,
        onsetDateTime: onset,
        recordedDate: recorded,
        recorder,
        note: [{ text: allergy.note }],
        reaction,
      };
  }
}
