import db from '@adonisjs/lucid/services/db'
import { settings } from '#core/services/settings'
import type { InterestRatePeriod } from '#fees/services/interest_calculator'
import { DEFAULT_INTEREST_THRESHOLD_GR } from '#fees/services/default_interest_rates'

/** A date column as YYYY-MM-DD (PostgreSQL returns a Date, SQLite the stored text). */
export function isoDate(value: unknown): string {
  if (value instanceof Date) return value.toISOString().slice(0, 10)
  return String(value).slice(0, 10)
}

/** The rate table and threshold as stored by the administrator. */
export const interestRates = {
  async all(): Promise<InterestRatePeriod[]> {
    const rows = await db.from('fees_interest_rates').orderBy('effective_from', 'asc')
    return rows.map((row) => ({
      from: isoDate(row.effective_from),
      standardBp: Number(row.standard_rate_bp),
    }))
  },

  async thresholdGrAt(date: string): Promise<number> {
    return settings.numberAt('fees.interest_threshold_gr', date, DEFAULT_INTEREST_THRESHOLD_GR)
  },
}
