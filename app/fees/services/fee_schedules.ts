import { addDays } from '#core/services/calendar'

/*
 * Payment schedules of the waste fee and of other fees, stored as short text
 * in fees_waste_rates.schedule and fees_fee_types.schedule:
 *   waste:  monthly:DD | quarterly:DD
 *   others: once:MM-DD | quarterly | monthly:DD | property
 */

export type WasteSchedule = { kind: 'monthly' | 'quarterly'; day: number }
export type FeeSchedule =
  | { kind: 'once'; month: number; day: number }
  | { kind: 'quarterly' }
  | { kind: 'monthly'; day: number }
  | { kind: 'property' }

const pad = (value: number) => String(value).padStart(2, '0')

/** Day `day` of the month, or its last day when the month is shorter (a "31" schedule in February). */
export function dayInMonth(year: number, month: number, day: number): string {
  const next = month === 12 ? `${year + 1}-01-01` : `${year}-${pad(month + 1)}-01`
  const last = Number(addDays(next, -1).slice(8, 10))
  return `${year}-${pad(month)}-${pad(Math.min(day, last))}`
}

function dayNumber(text: string | undefined): number | null {
  if (!text || !/^\d{1,2}$/.test(text)) return null
  const day = Number(text)
  return day >= 1 && day <= 31 ? day : null
}

export function parseWasteSchedule(text: string): WasteSchedule | null {
  const [kind, day] = text.split(':')
  const parsed = dayNumber(day)
  if ((kind !== 'monthly' && kind !== 'quarterly') || parsed === null) return null
  return { kind, day: parsed }
}

export function parseFeeSchedule(text: string): FeeSchedule | null {
  if (text === 'quarterly' || text === 'property') return { kind: text }
  const [kind, rest] = text.split(':')
  if (kind === 'monthly') {
    const day = dayNumber(rest)
    return day === null ? null : { kind, day }
  }
  if (kind === 'once') {
    const match = /^(\d{2})-(\d{2})$/.exec(rest ?? '')
    if (!match) return null
    const month = Number(match[1])
    const day = Number(match[2])
    if (month < 1 || month > 12 || day < 1) return null
    /* 29 February is refused: the date must exist every year. */
    if (dayInMonth(2001, month, day) !== `2001-${match[1]}-${match[2]}`) return null
    return { kind, month, day }
  }
  return null
}

/** How a schedule reads on a page. */
export function describeWasteSchedule(text: string): string {
  const schedule = parseWasteSchedule(text)
  if (!schedule) return text
  return schedule.kind === 'monthly'
    ? `co miesiąc do ${schedule.day}. dnia miesiąca`
    : `co kwartał do ${schedule.day}. dnia ostatniego miesiąca kwartału`
}

export function describeFeeSchedule(text: string): string {
  const schedule = parseFeeSchedule(text)
  if (!schedule) return text
  switch (schedule.kind) {
    case 'once':
      return `jednorazowo do ${pad(schedule.day)}.${pad(schedule.month)}`
    case 'quarterly':
      return 'co kwartał, do końca kwartału'
    case 'monthly':
      return `co miesiąc do ${schedule.day}. dnia miesiąca`
    case 'property':
      return 'w terminach podatku od nieruchomości (15.03, 15.05, 15.09, 15.11)'
  }
}

/**
 * Statutory dates (before the working-day shift) of a fee for a year. Quarterly
 * fees fall due on the last day of each quarter; "property" uses the four
 * dates of the property tax of individuals (Local Taxes Act art. 6 ust. 7).
 */
export function feeScheduleDates(schedule: FeeSchedule, year: number): string[] {
  switch (schedule.kind) {
    case 'once':
      return [dayInMonth(year, schedule.month, schedule.day)]
    case 'quarterly':
      return [3, 6, 9, 12].map((month) => dayInMonth(year, month, 31))
    case 'monthly':
      return Array.from({ length: 12 }, (_, index) => dayInMonth(year, index + 1, schedule.day))
    case 'property':
      return [3, 5, 9, 11].map((month) => dayInMonth(year, month, 15))
  }
}
