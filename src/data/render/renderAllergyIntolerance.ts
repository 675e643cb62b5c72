import type { Resource } from '../../fhir/types.js';
import { ALLERGENS, REACTIONS } from '../codes/allergies.js';
import { formatDateTime } from '../story/calendar.js';
import type { AllergyStory, PatientStory } from '../story/patientStory.js';
import { codeableConcept, meta, narrative, practitionerReference, reference } from './datatypes.js';
import type { RenderContext } from './renderContext.js';

/**
 * AllergyIntolerance. DSTU2: `substance`, one `status` (confirmed/unconfirmed/inactive), criticality
 * CRITL/CRITH, `recordedDate`, one `note`. STU3: `code`, `clinicalStatus` + `verificationStatus`,
 * criticality low/high, `assertedDate`, lists of notes and categories.
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
  if (context.version === 'dstu2') {
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
  }
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
}
