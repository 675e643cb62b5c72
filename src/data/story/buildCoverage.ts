import { patientResourceId } from '../ids.js';
import { ageInYears } from './calendar.js';
import type { CoverageStory, Demographics } from './patientStory.js';
import type { PayorKind } from './providerDirectory.js';
import type { StoryContext } from './storyContext.js';
import type { StoryRandom } from './storyRandom.js';

/** One health plan: Medicare from 65, Medicaid for some, an employer plan for the rest. */
export function buildCoverage(random: StoryRandom, context: StoryContext, key: string, demographics: Demographics): CoverageStory {
  const age = ageInYears(demographics.birthMs, context.referenceMs);
  const kind: PayorKind = age >= 65 ? 'medicare' : random.chance(age < 18 ? 0.4 : 0.15) ? 'medicaid' : 'commercial';
  const payor = random.pick(context.directory.payorsByKind[kind]);
  const planIndex = random.int(0, payor.plans.length - 1);
  const referenceYear = new Date(context.referenceMs).getUTCFullYear();
  const birthYear = new Date(demographics.birthMs).getUTCFullYear();
  const startYear = Math.max(birthYear, referenceYear - random.int(0, 8));
  const initials = payor.name
    .split(/\s+/)
    .map((word) => word.charAt(0))
    .join('')
    .toUpperCase();
  return {
    id: patientResourceId('cov', key, 1),
    payorId: payor.id,
    planId: `${initials}-${String(planIndex + 1).padStart(3, '0')}`,
    planDisplay: payor.plans[planIndex] ?? payor.plans[0] ?? payor.name,
    groupId: `GRP-${random.digits(5)}`,
    groupDisplay: kind === 'commercial' ? random.pick(context.pools.employers) : `${payor.name} ${demographics.address.state}`,
    subscriberId: `${initials}${random.digits(9)}`,
    start: startYear === birthYear ? demographics.birthMs : Date.UTC(startYear, 0, 1),
    end: Date.UTC(referenceYear, 11, 31),
  };
}
