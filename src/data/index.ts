/** The data module's public surface: generation, fixtures, measurement. */
export { generateTenantDataset, generateTenantResources } from './generateTenantResources.js';
export { generateTenantData } from './generateTenantData.js';
export { DEFAULT_REFERENCE_DATE, type TenantDataOptions } from './tenantDataOptions.js';
export { loadFixtures } from './fixtures/loadFixtures.js';
export { defaultFixturePaths } from './fixtures/defaultFixturePaths.js';
export type { FixturePatient, FixturePractitioner } from './fixtures/fixturePatient.js';
export { FixtureError } from './errors.js';
export { measureGeneration, type GenerationMeasurement } from './measureGeneration.js';
