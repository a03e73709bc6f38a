import type { InterestRatePeriod } from '#fees/services/interest_calculator'

/**
 * The standard late-payment interest rate history (200 % of the NBP lombard
 * rate + 2 points, at least 8 %). Seeded into fees_interest_rates; the table is
 * the source of truth and administrators add and correct rows there.
 */
export const DEFAULT_INTEREST_RATES: readonly InterestRatePeriod[] = [
  { from: '2015-03-05', standardBp: 800 },
  { from: '2022-02-09', standardBp: 850 },
  { from: '2022-03-09', standardBp: 1000 },
  { from: '2022-04-07', standardBp: 1200 },
  { from: '2022-05-06', standardBp: 1350 },
  { from: '2022-06-09', standardBp: 1500 },
  { from: '2022-07-08', standardBp: 1600 },
  { from: '2022-09-08', standardBp: 1650 },
  { from: '2023-09-07', standardBp: 1500 },
  { from: '2023-10-05', standardBp: 1450 },
  { from: '2025-05-08', standardBp: 1350 },
  { from: '2025-07-03', standardBp: 1300 },
  { from: '2025-09-04', standardBp: 1250 },
  { from: '2025-10-09', standardBp: 1200 },
  { from: '2025-11-06', standardBp: 1150 },
  { from: '2025-12-04', standardBp: 1100 },
  { from: '2026-03-05', standardBp: 1050 },
]

/** Three times the registered-letter fee (3 × 2.90 zł); a setting with an effective date. */
export const DEFAULT_INTEREST_THRESHOLD_GR = 870
