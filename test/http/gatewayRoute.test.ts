import { describe, expect, it } from 'vitest';
import { classifyGatewayPath } from '../../src/http/gatewayRoute.js';

describe('classifyGatewayPath', () => {
  it.each([
    ['GET', '', '/fhir/:version', 'search', undefined, false],
    ['POST', '', '/fhir/:version', 'batch', undefined, true],
    ['GET', 'metadata', '/fhir/:version/metadata', 'metadata', undefined, false],
    ['GET', '.well-known/smart-configuration', '/fhir/:version/.well-known/smart-configuration', 'metadata', undefined, false],
    ['GET', 'Patient', '/fhir/:version/:type', 'search', 'Patient', false],
    ['POST', 'Patient', '/fhir/:version/:type', 'write', 'Patient', true],
    ['POST', 'Patient/_search', '/fhir/:version/:type/_search', 'search', 'Patient', true],
    ['GET', 'Patient/_search', '/fhir/:version/:type/_search', 'search', 'Patient', false],
    ['GET', 'Patient/p1', '/fhir/:version/:type/:id', 'read', 'Patient', false],
    ['PUT', 'Patient/p1', '/fhir/:version/:type/:id', 'write', 'Patient', true],
    ['DELETE', 'Patient/p1', '/fhir/:version/:type/:id', 'write', 'Patient', false],
    ['GET', 'Patient/p1/_history/2', '/fhir/:version/:type/:id/_history/:versionId', 'read', 'Patient', false],
    ['GET', '$export', '/fhir/:version/$export', 'export-kickoff', undefined, false],
    ['GET', 'Patient/$export', '/fhir/:version/:type/$export', 'export-kickoff', 'Patient', false],
    ['GET', 'Group/g1/$export', '/fhir/:version/:type/:id/$export', 'export-kickoff', 'Group', false],
    ['GET', '$export-status/j1', '/fhir/:version/$export-status/:job', 'export-status', undefined, false],
    ['DELETE', '$export-status/j1', '/fhir/:version/$export-status/:job', 'export-status', undefined, false],
    ['GET', '$export-file/j1/Observation-3.ndjson', '/fhir/:version/$export-file/:job/:file', 'export-file', 'Observation', false],
  ])('%s /%s → %s (%s)', (method, rest, pattern, interaction, resourceType, hasBody) => {
    expect(classifyGatewayPath(method, rest)).toMatchObject({ pattern, interaction, hasBody, ...(resourceType ? { resourceType } : {}) });
  });

  it('marks the public documents the gateway writes itself', () => {
    expect(classifyGatewayPath('GET', 'metadata')).toMatchObject({ document: 'capability' });
    expect(classifyGatewayPath('GET', '.well-known/smart-configuration')).toMatchObject({ document: 'smart-configuration' });
    expect(classifyGatewayPath('GET', 'Patient')).not.toHaveProperty('document');
  });

  it('only the POST _search form body is not JSON', () => {
    expect(classifyGatewayPath('POST', 'Patient/_search')).toMatchObject({ jsonBody: false });
    expect(classifyGatewayPath('POST', 'Patient')).toMatchObject({ jsonBody: true });
  });

  it.each([
    ['PATCH', 'Patient/p1', ['GET', 'PUT', 'DELETE']],
    ['DELETE', 'Patient', ['GET', 'POST']],
    ['POST', 'metadata', ['GET']],
    ['POST', '.well-known/smart-configuration', ['GET']],
    ['PUT', 'Patient/p1/_history/1', ['GET']],
    ['POST', '$export', ['GET']],
    ['POST', 'Group/g1/$export', ['GET']],
    ['PUT', '$export-status/j1', ['GET', 'DELETE']],
    ['DELETE', '$export-file/j1/Patient-1.ndjson', ['GET']],
  ])('%s /%s is not allowed', (method, rest, allowed) => {
    expect(classifyGatewayPath(method, rest)).toEqual({ allowed });
  });

  it('leaves other shapes to the FHIR core', () => {
    expect(classifyGatewayPath('GET', 'Patient/p1/$everything/x/y')).toBeUndefined();
    expect(classifyGatewayPath('GET', '$export-status')).toBeUndefined();
    expect(classifyGatewayPath('GET', '$export-file/j1')).toBeUndefined();
  });

  it('names no resource type for an export file whose name is not <Type>-<n>.ndjson', () => {
    const route = classifyGatewayPath('GET', '$export-file/j1/whatever.txt');
    expect(route).toMatchObject({ interaction: 'export-file' });
    expect(route).not.toHaveProperty('resourceType');
  });
});
