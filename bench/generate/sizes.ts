/** The benchmark's sizes: how many clinics, people and years of history. */
export type SizeName = 'small' | 'region' | 'national';

export interface Size {
  name: SizeName;
  clinics: number;
  /** People per clinic, drawn per clinic from this range. */
  people: readonly [number, number];
  years: number;
  /**
   * Clinics open one after another over this share of the period (0: all open on the first day), as a
   * service grows: at national size the 300 clinics' 10 years hold about 20 million doses.
   */
  staggered: number;
}

export const SIZES: Record<SizeName, Size> = {
  small: { name: 'small', clinics: 1, people: [15, 15], years: 1, staggered: 0 },
  region: { name: 'region', clinics: 50, people: [15, 30], years: 5, staggered: 1 },
  national: { name: 'national', clinics: 300, people: [15, 30], years: 10, staggered: 1 },
};

/** The last day of generated history; the benchmark's own doses are recorded on the days after it. */
export const HISTORY_ENDS = '2026-11-27';

/** Share of a person's sessions: attended and dosed, refused at assessment, missed. The rest (none) is rounding. */
export const ATTENDANCE = { dosed: 0.8, refused: 0.03, missed: 0.17 };
