import { deriveSeed } from '../../lib/random.js';
import { ETHNICITIES, RACES, type EthnicityKey, type RaceKey } from '../codes/raceAndEthnicity.js';
import { StoryRandom } from './storyRandom.js';

/**
 * Race and ethnicity from a stream of their own, derived from the patient's seed: drawing them from
 * the story's stream would shift every later draw and change the data of every existing tenant.
 */
export function drawRaceAndEthnicity(patientSeed: number): { race: RaceKey; ethnicity: EthnicityKey } {
  const random = new StoryRandom(deriveSeed(patientSeed, 'race-and-ethnicity'));
  return { race: drawShare(random, RACES), ethnicity: drawShare(random, ETHNICITIES) };
}

function drawShare<K extends string>(random: StoryRandom, table: Readonly<Record<K, { share: number }>>): K {
  const keys = Object.keys(table) as K[];
  const total = keys.reduce((sum, key) => sum + table[key].share, 0);
  let draw = random.next() * total;
  for (const key of keys) {
    draw -= table[key].share;
    if (draw < 0) return key;
  }
  return keys[keys.length - 1] as K;
}
