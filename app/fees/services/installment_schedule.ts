import { addDays, nextWorkingDay } from '#core/services/calendar'

export const SCHEDULE_KINDS = ['property-individual', 'legal-person-monthly', 'transport'] as const
export type ScheduleKind = (typeof SCHEDULE_KINDS)[number]

export interface Installment {
  number: number
  /** Statutory date before the working-day shift. */
  statutoryDue: string
  /** The date the payer must pay by (next working day when it falls on a holiday or weekend). */
  due: string
  amountGr: number
}

export class ScheduleInputError extends Error {}

/* Small amounts of property, agricultural and forest tax are paid at once (at most 100 zł). */
const SINGLE_PAYMENT_LIMIT_GR = 10_000
/* Installments already due when a late decision arrives are paid within 14 days of delivery. */
const LATE_DELIVERY_DAYS = 14

function statutoryDates(kind: ScheduleKind, year: number): string[] {
  const day = (month: number, dayOfMonth: number) =>
    `${year}-${String(month).padStart(2, '0')}-${String(dayOfMonth).padStart(2, '0')}`
  switch (kind) {
    case 'property-individual':
      return [day(3, 15), day(5, 15), day(9, 15), day(11, 15)]
    case 'legal-person-monthly':
      return [day(1, 31), ...Array.from({ length: 11 }, (_, i) => day(i + 2, 15))]
    case 'transport':
      return [day(2, 15), day(9, 15)]
  }
}

/**
 * Splits a yearly amount into equal parts; what does not divide goes to the
 * first installment. Tax amounts are whole złoty, so they are split in whole
 * złoty; an amount with grosze is split in grosze.
 */
export function splitIntoInstallments(totalGr: number, count: number): number[] {
  const unit = totalGr % 100 === 0 ? 100 : 1
  const units = totalGr / unit
  const each = Math.floor(units / count)
  const parts = Array.from({ length: count }, () => each * unit)
  parts[0] += (units - each * count) * unit
  return parts
}

/**
 * The installment plan of a yearly liability (Local Taxes Act art. 6, 8;
 * Tax Ordinance art. 12 §5 for the working-day shift).
 */
export function installmentSchedule(input: {
  kind: ScheduleKind
  year: number
  totalGr: number
  delivered?: string | null
}): Installment[] {
  const { kind, year, totalGr } = input
  if (!SCHEDULE_KINDS.includes(kind))
    throw new ScheduleInputError(`unknown schedule kind "${kind}"`)
  if (!Number.isInteger(year) || year < 2000 || year > 2200)
    throw new ScheduleInputError('year must be between 2000 and 2200')
  if (!Number.isInteger(totalGr) || totalGr < 0)
    throw new ScheduleInputError('amount must be a non-negative number of grosze')

  let dates = statutoryDates(kind, year)
  if (kind === 'property-individual' && totalGr <= SINGLE_PAYMENT_LIMIT_GR)
    dates = dates.slice(0, 1)
  const amounts = splitIntoInstallments(totalGr, dates.length)
  const lateDue = input.delivered ? addDays(input.delivered, LATE_DELIVERY_DAYS) : null

  return dates.map((statutoryDue, index) => {
    /* "Already due": its deadline, after the working-day shift, ended before delivery. */
    const passed = input.delivered && nextWorkingDay(statutoryDue) < input.delivered
    const due = nextWorkingDay(passed && lateDue ? lateDue : statutoryDue)
    return { number: index + 1, statutoryDue, due, amountGr: amounts[index] }
  })
}
