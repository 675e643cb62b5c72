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
  ])('%s /%s is not allowed', (method, rest, allowed) => {
    expect(classifyGatewayPath(method, rest)).toEqual({ allowed });
  });

  it('leaves other shapes to the FHIR core', () => {
    expect(classifyGatewayPath('GET', 'Patient/p1/$everything/x/y')).toBeUndefined();
  });
});
