import { addDays, daysBetween } from '#core/services/calendar'

/** One row of the statutory rate table: the standard rate in force from a date, in basis points (14.50 % = 1450). */
export interface InterestRatePeriod {
  from: string
  standardBp: number
}

export type RateKind = 'reduced' | 'standard' | 'increased'

/* Reduced rate is 50 % and increased 150 % of the standard rate (Tax Ordinance art. 56a, 56b). */
const KIND_PERCENT: Record<RateKind, number> = { reduced: 50, standard: 100, increased: 150 }

export interface InterestPeriod {
  from: string
  to: string
  days: number
  /** Rate applied in this period, basis points. */
  rateBp: number
  /** Exact interest of the period in grosze (not rounded). */
  exactGr: number
  /** Interest of the period rounded to the grosz, for display. */
  interestGr: number
}

export interface InterestResult {
  amountGr: number
  due: string
  paid: string
  days: number
  /** Interest rounded to full złoty, 0 when not charged. */
  interestGr: number
  /** False when the rounded interest does not exceed the threshold. */
  charged: boolean
  periods: InterestPeriod[]
}

export class InterestInputError extends Error {}

/**
 * Late-payment interest (odsetki za zwłokę): from the day after the due date up
 * to and including the payment date, each day at the rate in force that day,
 * always over a 365-day year; the total is rounded to full złoty and not
 * charged when it does not exceed the threshold (three registered-letter fees).
 */
export function lateInterest(input: {
  amountGr: number
  due: string
  paid: string
  rates: readonly InterestRatePeriod[]
  kind?: RateKind
  thresholdGr: number
}): InterestResult {
  const { amountGr, due, paid, thresholdGr } = input
  const kind = input.kind ?? 'standard'
  if (!Number.isInteger(amountGr) || amountGr < 0)
    throw new InterestInputError('amount must be a non-negative number of grosze')
  const rates = [...input.rates].sort((a, b) => a.from.localeCompare(b.from))
  const days = Math.max(0, daysBetween(due, paid))
  const base = { amountGr, due, paid, days }
  if (days === 0 || amountGr === 0) return { ...base, interestGr: 0, charged: false, periods: [] }

  const firstDay = addDays(due, 1)
  if (rates.length === 0 || rates[0].from > firstDay) {
    throw new InterestInputError(
      `no interest rate is known for ${firstDay} (the rate table starts ${rates[0]?.from ?? 'nowhere'})`
    )
  }

  const periods: InterestPeriod[] = []
  for (let i = 0; i < rates.length; i++) {
    const rateEnd = i + 1 < rates.length ? addDays(rates[i + 1].from, -1) : paid
    const from = rates[i].from > firstDay ? rates[i].from : firstDay
    const to = rateEnd < paid ? rateEnd : paid
    if (from > to) continue
    const periodDays = daysBetween(from, to) + 1
    const rateBp = (rates[i].standardBp * KIND_PERCENT[kind]) / 100
    const exactGr = (amountGr * rateBp * periodDays) / (10_000 * 365)
    periods.push({ from, to, days: periodDays, rateBp, exactGr, interestGr: Math.round(exactGr) })
  }

  /*
   * Rounded to full złoty once, from the exact sum (49.5 gr goes down): grosze ×
   * 10 000 × 365 × 100 is an integer, so BigInt keeps it exact.
   */
  const scale = 10_000n * 365n * 100n
  const scaled = periods.reduce(
    (sum, period) =>
      sum + BigInt(amountGr) * BigInt(Math.round(period.rateBp * 100)) * BigInt(period.days),
    0n
  )
  const rounded = Number((scaled + 50n * scale) / (100n * scale)) * 100
  const charged = rounded > thresholdGr
  return { ...base, interestGr: charged ? rounded : 0, charged, periods }
}
