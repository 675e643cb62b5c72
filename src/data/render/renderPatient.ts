import type { Resource } from '../../fhir/types.js';
import { CODE_SYSTEMS } from '../codes/concept.js';
import { R4_CODE_SYSTEMS } from '../codes/r4CodeSystems.js';
import { ETHNICITIES, RACES } from '../codes/raceAndEthnicity.js';
import { US_CORE_EXTENSIONS, US_CORE_PROFILES } from '../codes/usCoreProfiles.js';
import type { Demographics, PatientStory } from '../story/patientStory.js';
import { humanName, meta, practitionerReference, profiledMeta, reference } from './datatypes.js';
import type { RenderContext } from './renderContext.js';

/**
 * Patient; the GP is `careProvider` in DSTU2 and `generalPractitioner` from STU3 on. R4 writes US
 * Core 3.1.1's Patient: race, ethnicity and birth sex extensions, an MRN with its system.
 */
export function renderPatient(story: PatientStory, context: RenderContext): Resource {
  switch (context.version) {
    case 'dstu2':
    case 'stu3':
      return renderEarlierPatient(story, context);
    case 'r4':
      return renderR4Patient(story, context);
  }
}

function renderEarlierPatient(story: PatientStory, context: RenderContext): Resource {
  const { demographics } = story;
  const resource: Resource = {
    resourceType: 'Patient',
    id: story.patientId,
    meta: meta(context),
    identifier: [mrnIdentifier(demographics, context, CODE_SYSTEMS.identifierType)],
    active: true,
    name: [humanName(context.version, demographics.name)],
    telecom: telecom(demographics),
    gender: demographics.gender,
    birthDate: demographics.birthDate,
    address: [{ use: 'home', ...demographics.address, country: 'US' }],
  };
  resource[context.version === 'dstu2' ? 'careProvider' : 'generalPractitioner'] = [
    practitionerReference(context, demographics.generalPractitionerId),
  ];
  resource['managingOrganization'] = reference('Organization', context.directory.hospital.id, context.directory.hospital.name);
  return resource;
}

function renderR4Patient(story: PatientStory, context: RenderContext): Resource {
  const { demographics } = story;
  const race = RACES[demographics.race].concept;
  const ethnicity = ETHNICITIES[demographics.ethnicity].concept;
  return {
    resourceType: 'Patient',
    id: story.patientId,
    meta: profiledMeta(context, US_CORE_PROFILES.patient),
    extension: [
      {
        url: US_CORE_EXTENSIONS.race,
        extension: [
          { url: 'ombCategory', valueCoding: { ...race } },
          { url: 'text', valueString: race.display },
        ],
      },
      {
        url: US_CORE_EXTENSIONS.ethnicity,
        extension: [
          { url: 'ombCategory', valueCoding: { ...ethnicity } },
          { url: 'text', valueString: ethnicity.display },
        ],
      },
      { url: US_CORE_EXTENSIONS.birthSex, valueCode: demographics.gender === 'female' ? 'F' : 'M' },
    ],
    identifier: [mrnIdentifier(demographics, context, R4_CODE_SYSTEMS.identifierType)],
    active: true,
    name: [humanName(context.version, demographics.name)],
    telecom: telecom(demographics),
    gender: demographics.gender,
    birthDate: demographics.birthDate,
    address: [{ use: 'home', ...demographics.address, country: 'US' }],
    generalPractitioner: [practitionerReference(context, demographics.generalPractitionerId)],
    managingOrganization: reference('Organization', context.directory.hospital.id, context.directory.hospital.name),
  };
}

function mrnIdentifier(demographics: Demographics, context: RenderContext, identifierTypeSystem: string): Record<string, unknown> {
  return {
    use: 'usual',
    type: { coding: [{ system: identifierTypeSystem, code: 'MR', display: 'Medical record number' }], text: 'MRN' },
    system: context.directory.mrnSystem,
    value: demographics.mrn,
  };
}

function telecom(demographics: Demographics): Array<Record<string, string>> {
  return [
    { system: 'phone', value: demographics.phone, use: 'home' },
    { system: 'email', value: demographics.email, use: 'home' },
  ];
}
