import type { Concept } from './concept.js';

/** CDC Race & Ethnicity code system: the codes of the OMB categories US Core's extensions use. */
export const CDC_RACE_ETHNICITY_SYSTEM = 'urn:oid:2.16.840.1.113883.6.238';

function omb(code: string, display: string): Concept {
  return { system: CDC_RACE_ETHNICITY_SYSTEM, code, display };
}

/** The five OMB race categories, each with its share of a synthetic population (roughly the US census). */
export const RACES = {
  white: { concept: omb('2106-3', 'White'), share: 0.62 },
  black: { concept: omb('2054-5', 'Black or African American'), share: 0.14 },
  asian: { concept: omb('2028-9', 'Asian'), share: 0.07 },
  americanIndian: { concept: omb('1002-5', 'American Indian or Alaska Native'), share: 0.015 },
  pacificIslander: { concept: omb('2076-8', 'Native Hawaiian or Other Pacific Islander'), share: 0.005 },
} as const satisfies Record<string, { concept: Concept; share: number }>;

export type RaceKey = keyof typeof RACES;

export const ETHNICITIES = {
  hispanic: { concept: omb('2135-2', 'Hispanic or Latino'), share: 0.19 },
  notHispanic: { concept: omb('2186-5', 'Not Hispanic or Latino'), share: 0.81 },
} as const satisfies Record<string, { concept: Concept; share: number }>;

export type EthnicityKey = keyof typeof ETHNICITIES;
