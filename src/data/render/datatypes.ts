import type { FhirVersion } from '../../fhir/types.js';
import type { Concept } from '../codes/concept.js';
import { CODE_SYSTEMS } from '../codes/concept.js';
import type { UcumUnit } from '../codes/vitalSigns.js';
import type { PersonName } from '../story/patientStory.js';
import { practitionerDisplay } from '../story/providerDirectory.js';
import { lookup, type RenderContext } from './renderContext.js';

/** FHIR data types as JSON, shared by the resource renderers of every version. */

export interface Coding {
  system: string;
  code: string;
  display: string;
}

export interface CodeableConcept {
  coding: Coding[];
  text?: string;
}

export interface Reference {
  reference: string;
  display?: string;
}

export function codeableConcept(concept: Concept, text?: string): CodeableConcept {
  const coding = [{ system: concept.system, code: concept.code, display: concept.display }];
  return text === undefined ? { coding } : { coding, text };
}

export function reference(resourceType: string, id: string, display?: string): Reference {
  return display === undefined ? { reference: `${resourceType}/${id}` } : { reference: `${resourceType}/${id}`, display };
}

export function practitionerReference(context: RenderContext, id: string): Reference {
  return reference('Practitioner', id, practitionerDisplay(lookup(context.practitioners, id, 'practitioner')));
}

export function meta(context: RenderContext): { versionId: string; lastUpdated: string } {
  return { versionId: '1', lastUpdated: context.lastUpdated };
}

/** meta, naming the profile the resource is written to satisfy where the version's data targets one (R4: US Core 3.1.1). */
export function profiledMeta(context: RenderContext, profile: string): { versionId: string; lastUpdated: string; profile?: string[] } {
  switch (context.version) {
    case 'dstu2':
    case 'stu3':
      return meta(context);
    case 'r4':
      return { ...meta(context), profile: [profile] };
  }
}

/** DSTU2 HumanName.family is a list; STU3 and R4 have a single string. */
export function humanName(version: FhirVersion, name: PersonName): Record<string, unknown> {
  return {
    use: 'official',
    family: version === 'dstu2' ? [name.family] : name.family,
    given: name.given,
    prefix: [name.prefix],
  };
}

export function quantity(value: number, unit: UcumUnit): Record<string, unknown> {
  return { value, unit: unit.unit, system: CODE_SYSTEMS.ucum, code: unit.code };
}

/** A generated narrative; every version requires the XHTML namespace on the div. */
export function narrative(text: string): { status: 'generated'; div: string } {
  return { status: 'generated', div: `<div xmlns="http://www.w3.org/1999/xhtml">${escapeXml(text)}</div>` };
}

function escapeXml(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}
