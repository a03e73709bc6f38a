import { InvalidDateError, parseIsoDate } from '#core/services/calendar'

/** "12345678901234567890123456" → "12 3456 7890 1234 5678 9012 3456" (how banks print an NRB). */
export function formatNrb(nrb: string | null | undefined): string {
  const digits = (nrb ?? '').replace(/\D/g, '')
  if (digits.length !== 26) return nrb ?? ''
  return [digits.slice(0, 2), ...digits.slice(2).match(/.{4}/g)!].join(' ')
}

/** Dates for people: "23.11.2026", or with time "23.11.2026, 14:05" in Warsaw time. */
export function formatDate(
  value: Date | string | { toJSDate(): Date } | null | undefined,
  withTime = false
): string {
  if (!value) return ''
  const date =
    typeof value === 'string' ? new Date(value) : value instanceof Date ? value : value.toJSDate()
  return (withTime ? DATE_TIME : DATE).format(date)
}

/* Built once: constructing an Intl formatter costs far more than formatting (a statement formats hundreds of dates). */
const DATE = new Intl.DateTimeFormat('pl-PL', {
  timeZone: 'Europe/Warsaw',
  day: '2-digit',
  month: '2-digit',
  year: 'numeric',
})
const DATE_TIME = new Intl.DateTimeFormat('pl-PL', {
  timeZone: 'Europe/Warsaw',
  day: '2-digit',
  month: '2-digit',
  year: 'numeric',
  hour: '2-digit',
  minute: '2-digit',
})

/** Month names in the genitive, as Polish writes a day of the month. */
const MONTHS_GENITIVE = [
  'stycznia',
  'lutego',
  'marca',
  'kwietnia',
  'maja',
  'czerwca',
  'lipca',
  'sierpnia',
  'września',
  'października',
  'listopada',
  'grudnia',
] as const

/** '2026-11-24' → "24 listopada 2026 r.", the date line of an official letter. */
export function polishDate(isoDate: string): string {
  if (parseIsoDate(isoDate) === null) throw new InvalidDateError(isoDate)
  const [year, month, day] = isoDate.split('-').map(Number)
  return `${day} ${MONTHS_GENITIVE[month - 1]} ${year} r.`
}
