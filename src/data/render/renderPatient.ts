import type { Resource } from '../../fhir/types.js';
import { CODE_SYSTEMS } from '../codes/concept.js';
import type { PatientStory } from '../story/patientStory.js';
import { humanName, meta, practitionerReference, reference } from './datatypes.js';
import type { RenderContext } from './renderContext.js';

/** Patient; the GP is `careProvider` in DSTU2 and `generalPractitioner` in STU3. */
export function renderPatient(story: PatientStory, context: RenderContext): Resource {
  const { demographics } = story;
  const resource: Resource = {
    resourceType: 'Patient',
    id: story.patientId,
    meta: meta(context),
    identifier: [
      {
        use: 'usual',
        type: { coding: [{ system: CODE_SYSTEMS.identifierType, code: 'MR', display: 'Medical record number' }], text: 'MRN' },
        system: context.directory.mrnSystem,
        value: demographics.mrn,
      },
    ],
    active: true,
    name: [humanName(context.version, demographics.name)],
    telecom: [
      { system: 'phone', value: demographics.phone, use: 'home' },
      { system: 'email', value: demographics.email, use: 'home' },
    ],
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
