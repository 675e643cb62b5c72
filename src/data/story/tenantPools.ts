// The English build alone: the package's index loads every locale, a large part of a start-up.
import { faker } from '@faker-js/faker/locale/en';
import type { PostalAddress } from './patientStory.js';

/**
 * Per-tenant pools of names and addresses drawn once with faker. Faker costs microseconds per
 * call; drawing a patient from pools with the patient's own seeded stream costs nanoseconds and
 * keeps a patient independent of how many others the tenant has.
 */
export interface TenantPools {
  maleGivenNames: readonly string[];
  femaleGivenNames: readonly string[];
  familyNames: readonly string[];
  addresses: readonly PostalAddress[];
  employers: readonly string[];
}

const NAME_POOL_SIZE = 400;
const ADDRESS_POOL_SIZE = 300;
const EMPLOYER_POOL_SIZE = 60;

export function buildTenantPools(seed: number): TenantPools {
  // Re-seeding restarts the one instance's stream; the draws below run without a pause, so no other caller interleaves.
  faker.seed(seed);
  const draw = <T>(size: number, make: () => T): T[] => Array.from({ length: size }, make);
  return {
    maleGivenNames: draw(NAME_POOL_SIZE, () => faker.person.firstName('male')),
    femaleGivenNames: draw(NAME_POOL_SIZE, () => faker.person.firstName('female')),
    familyNames: draw(NAME_POOL_SIZE, () => faker.person.lastName()),
    addresses: draw(ADDRESS_POOL_SIZE, () => ({
      line: [`${faker.location.buildingNumber()} ${faker.location.street()}`],
      city: faker.location.city(),
      state: faker.location.state({ abbreviated: true }),
      postalCode: faker.location.zipCode('#####'),
    })),
    employers: draw(EMPLOYER_POOL_SIZE, () => faker.company.name()),
  };
}
