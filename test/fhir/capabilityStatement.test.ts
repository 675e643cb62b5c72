import { describe, expect, it } from 'vitest';
import { capabilityStatement } from '../../src/fhir/server.js';
import type { Resource } from '../../src/fhir/types.js';
import { validateResource } from '../../src/fhir/validation/validateResource.js';
import { adapterFor } from '../../src/fhir/versions/index.js';
import { ManualClock } from '../../src/lib/clock.js';

const OPTIONS = {
  baseUrl: 'http://localhost:8080/fhir/stu3',
  tokenUrl: 'http://localhost:8080/oauth2/token',
  authorizeUrl: 'http://localhost:8080/oauth2/authorize',
  softwareName: 'patients-sandbox',
  softwareVersion: '0.1.0',
  clock: new ManualClock(Date.UTC(2026, 0, 1)),
};

type Rest = {
  mode: string;
  interaction: Array<{ code: string }>;
  security: { service: Array<{ coding: Array<{ system: string; code: string }> }>; extension: Array<{ url: string; extension: Array<{ url: string; valueUri: string }> }> };
  resource: Array<{ type: string; interaction: Array<{ code: string }>; searchParam: Array<{ name: string; type: string }> }>;
};

const restOf = (statement: Resource) => (statement['rest'] as Rest[])[0] as Rest;

describe('capabilityStatement', () => {
  it('is a Conformance 1.0.2 for DSTU2 and a CapabilityStatement 3.0.1 for STU3, each valid in its version', () => {
    const dstu2 = capabilityStatement(adapterFor('dstu2'), { ...OPTIONS, readOnly: true });
    const stu3 = capabilityStatement(adapterFor('stu3'), { ...OPTIONS, readOnly: false });
    expect(dstu2).toMatchObject({ resourceType: 'Conformance', fhirVersion: '1.0.2', kind: 'instance', status: 'active', date: '2026-01-01T00:00:00.000Z' });
    expect(stu3).toMatchObject({ resourceType: 'CapabilityStatement', fhirVersion: '3.0.1', kind: 'instance', software: { name: 'patients-sandbox', version: '0.1.0' } });
    expect(validateResource('dstu2', dstu2)).toEqual([]);
    expect(validateResource('stu3', stu3)).toEqual([]);
  });

  it('advertises OAuth with the token and authorize URIs under rest[0].security', () => {
    const rest = restOf(capabilityStatement(adapterFor('stu3'), { ...OPTIONS, readOnly: true }));
    expect(rest.mode).toBe('server');
    expect(rest.security.service[0]?.coding[0]).toMatchObject({ system: 'http://hl7.org/fhir/restful-security-service', code: 'OAuth' });
    const oauth = rest.security.extension.find((extension) => extension.url === 'http://fhir-registry.smarthealthit.org/StructureDefinition/oauth-uris');
    expect(oauth?.extension).toEqual([
      { url: 'token', valueUri: OPTIONS.tokenUrl },
      { url: 'authorize', valueUri: OPTIONS.authorizeUrl },
    ]);
    expect(rest.interaction).toEqual([{ code: 'batch' }]);
  });

  it('is an R4 4.0.1 CapabilityStatement without acceptUnknown, with the SMART security service, valid in R4', () => {
    const r4 = capabilityStatement(adapterFor('r4'), { ...OPTIONS, readOnly: false });
    expect(r4).toMatchObject({ resourceType: 'CapabilityStatement', fhirVersion: '4.0.1', format: ['application/fhir+json', 'json'] });
    expect(r4['acceptUnknown']).toBeUndefined();
    expect(validateResource('r4', r4)).toEqual([]);
    const rest = restOf(r4);
    expect(rest.security.service[0]?.coding[0]).toMatchObject({ system: 'http://terminology.hl7.org/CodeSystem/restful-security-service', code: 'SMART-on-FHIR' });
    expect(rest.security.extension[0]?.url).toBe('http://fhir-registry.smarthealthit.org/StructureDefinition/oauth-uris');
    expect(rest.interaction).toEqual([{ code: 'batch' }]);
  });

  it('says batch the DSTU2 way: the transaction interaction, documented as batch only', () => {
    const rest = restOf(capabilityStatement(adapterFor('dstu2'), { ...OPTIONS, readOnly: true }));
    expect(rest.interaction).toEqual([{ code: 'transaction', documentation: 'Bundles of type batch only; type transaction is refused' }]);
  });

  it('names the Bulk Data export operations, each pointing at its OperationDefinition', () => {
    for (const version of ['dstu2', 'stu3'] as const) {
      const statement = capabilityStatement(adapterFor(version), { ...OPTIONS, readOnly: true });
      expect((statement['rest'] as Array<{ operation: unknown }>)[0]?.operation).toEqual([
        { name: 'export', definition: { reference: 'http://hl7.org/fhir/uv/bulkdata/OperationDefinition/export' } },
        { name: 'patient-export', definition: { reference: 'http://hl7.org/fhir/uv/bulkdata/OperationDefinition/patient-export' } },
        { name: 'group-export', definition: { reference: 'http://hl7.org/fhir/uv/bulkdata/OperationDefinition/group-export' } },
      ]);
      expect(validateResource(version, statement)).toEqual([]);
    }
    // R4 made OperationDefinition references canonical URLs.
    const r4 = capabilityStatement(adapterFor('r4'), { ...OPTIONS, readOnly: true });
    expect((r4['rest'] as Array<{ operation: unknown }>)[0]?.operation).toEqual([
      { name: 'export', definition: 'http://hl7.org/fhir/uv/bulkdata/OperationDefinition/export' },
      { name: 'patient-export', definition: 'http://hl7.org/fhir/uv/bulkdata/OperationDefinition/patient-export' },
      { name: 'group-export', definition: 'http://hl7.org/fhir/uv/bulkdata/OperationDefinition/group-export' },
    ]);
    expect(validateResource('r4', r4)).toEqual([]);
  });

  it('lists each version\'s resource types with interactions that follow readOnly', () => {
    const readOnly = restOf(capabilityStatement(adapterFor('dstu2'), { ...OPTIONS, readOnly: true }));
    expect(readOnly.resource.map((resource) => resource.type)).toEqual([
      'Patient', 'Observation', 'Condition', 'Encounter', 'AllergyIntolerance', 'MedicationOrder', 'Coverage', 'Group', 'Location', 'Organization', 'Practitioner',
    ]);
    expect(readOnly.resource[0]?.interaction.map((interaction) => interaction.code)).toEqual(['read', 'search-type']);
    const writable = restOf(capabilityStatement(adapterFor('stu3'), { ...OPTIONS, readOnly: false }));
    expect(writable.resource.map((resource) => resource.type)).toContain('MedicationStatement');
    expect(writable.resource[0]?.interaction.map((interaction) => interaction.code)).toEqual(['read', 'search-type', 'create', 'update', 'delete']);
  });

  it('lists exactly the search parameters search understands', () => {
    for (const version of ['dstu2', 'stu3', 'r4'] as const) {
      const adapter = adapterFor(version);
      const rest = restOf(capabilityStatement(adapter, { ...OPTIONS, readOnly: true }));
      for (const resource of rest.resource) {
        const declared = resource.searchParam.map((param) => `${param.name}:${param.type}`);
        const served = ['_id:token', '_lastUpdated:date', ...(adapter.searchParams[resource.type] ?? []).map((param) => `${param.name}:${param.type}`)];
        expect(declared).toEqual(served);
      }
      const patient = rest.resource.find((resource) => resource.type === 'Patient');
      expect(patient?.searchParam.map((param) => param.name)).toEqual(expect.arrayContaining(['_id', 'name', 'family', 'given', 'birthdate', 'gender', 'identifier']));
    }
  });
});
