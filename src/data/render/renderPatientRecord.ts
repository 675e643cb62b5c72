import type { Resource } from '../../fhir/types.js';
import type { PatientStory } from '../story/patientStory.js';
import { renderAllergyIntolerance } from './renderAllergyIntolerance.js';
import { renderCondition } from './renderCondition.js';
import { renderCoverage } from './renderCoverage.js';
import { renderEncounter } from './renderEncounter.js';
import { renderMedications } from './renderMedications.js';
import { renderPatient } from './renderPatient.js';
import type { RenderContext } from './renderContext.js';
import { renderVitalSigns } from './renderVitalSigns.js';

/** Every resource of one patient in the context's FHIR version, the Patient first. */
export function renderPatientRecord(story: PatientStory, context: RenderContext): Resource[] {
  const resources: Resource[] = [renderPatient(story, context)];
  for (const encounter of story.encounters) resources.push(renderEncounter(encounter, story, context));
  let nextObservation = 1;
  for (const vitals of story.vitalSigns) {
    const observations = renderVitalSigns(vitals, nextObservation, story, context);
    nextObservation += observations.length;
    resources.push(...observations);
  }
  for (const condition of story.conditions) resources.push(renderCondition(condition, story, context));
  for (const allergy of story.allergies) resources.push(renderAllergyIntolerance(allergy, story, context));
  for (const medication of story.medications) resources.push(...renderMedications(medication, story, context));
  resources.push(renderCoverage(story, context));
  return resources;
}
