import type { Gender } from './patientStory.js';

/** A closed interval of plausible values. */
export interface Range {
  min: number;
  max: number;
}

export interface VitalRanges {
  heartRate: Range;
  respiratoryRate: Range;
  systolic: Range;
  diastolic: Range;
}

/** Normal resting ranges by age (paediatric vital-sign reference tables, adult normals). */
export function normalVitalRanges(ageYears: number): VitalRanges {
  if (ageYears < 1) return vitals([100, 160], [30, 53], [72, 104], [37, 56]);
  if (ageYears < 3) return vitals([90, 150], [22, 37], [86, 106], [42, 63]);
  if (ageYears < 6) return vitals([80, 120], [20, 28], [89, 112], [46, 72]);
  if (ageYears < 12) return vitals([70, 110], [18, 25], [97, 115], [57, 76]);
  if (ageYears < 18) return vitals([60, 100], [12, 20], [102, 131], [64, 83]);
  return vitals([58, 100], [12, 20], [105, 139], [65, 89]);
}

/** What a treated-but-imperfectly-controlled hypertensive adult measures. */
export const HYPERTENSIVE_PRESSURES: Pick<VitalRanges, 'systolic' | 'diastolic'> = {
  systolic: { min: 128, max: 165 },
  diastolic: { min: 78, max: 100 },
};

function vitals(
  heartRate: readonly [number, number],
  respiratoryRate: readonly [number, number],
  systolic: readonly [number, number],
  diastolic: readonly [number, number],
): VitalRanges {
  const range = ([min, max]: readonly [number, number]): Range => ({ min, max });
  return { heartRate: range(heartRate), respiratoryRate: range(respiratoryRate), systolic: range(systolic), diastolic: range(diastolic) };
}

/** Median body height (cm) by age, a piecewise fit of the WHO/CDC growth charts. */
export function medianHeightCm(gender: Gender, ageYears: number): number {
  const male = gender === 'male';
  if (ageYears < 1) return (male ? 50.5 : 49.5) + 25 * ageYears;
  if (ageYears < 2) return (male ? 75.5 : 74.5) + 12 * (ageYears - 1);
  if (ageYears < 12) return (male ? 87.5 : 86.5) + 6.2 * (ageYears - 2);
  const adult = male ? 176 : 162;
  const atTwelve = male ? 149.5 : 148.5;
  if (ageYears < 18) return Math.min(adult, atTwelve + (male ? 4.4 : 2.4) * (ageYears - 12));
  // Height is lost slowly after seventy.
  return ageYears > 70 ? adult - 0.15 * (ageYears - 70) : adult;
}

/** Median body-mass index by age; adults get their own baseline instead. */
export function medianChildBmi(ageYears: number): number {
  if (ageYears < 1) return 13.5 + 4 * ageYears;
  if (ageYears < 6) return 17.5 - 0.4 * (ageYears - 1);
  if (ageYears < 12) return 15.5 + 0.5 * (ageYears - 6);
  return 18.5 + 0.5 * (ageYears - 12);
}
