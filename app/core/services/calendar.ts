/*
 * Calendar days as 'YYYY-MM-DD' strings. All arithmetic is done on UTC
 * midnights so that neither the server's time zone nor DST can shift a day.
 */

export interface Holiday {
  date: string
  name: string
}

export class InvalidDateError extends Error {
  readonly code = 'E_INVALID_DATE'

  constructor(readonly value: unknown) {
    super(`Invalid date ${JSON.stringify(value)}: expected an existing day as YYYY-MM-DD`)
  }
}

const ISO_DATE = /^(\d{4})-(\d{2})-(\d{2})$/
const DAY_MS = 86_400_000

function utcMidnight(year: number, month: number, day: number): Date {
  const date = new Date(0)
  // setUTCFullYear, unlike Date.UTC, does not map years 0–99 to 1900–1999.
  date.setUTCFullYear(year, month - 1, day)
  return date
}

function toIso(date: Date): string {
  const year = String(date.getUTCFullYear()).padStart(4, '0')
  const month = String(date.getUTCMonth() + 1).padStart(2, '0')
  const day = String(date.getUTCDate()).padStart(2, '0')
  return `${year}-${month}-${day}`
}

/**
 * Returns the date unchanged when it is a real calendar day written as
 * YYYY-MM-DD, otherwise null ("2025-02-29", "2025-2-3", "2025-02-03T00:00").
 */
export function parseIsoDate(value: unknown): string | null {
  if (typeof value !== 'string') return null
  const match = ISO_DATE.exec(value)
  if (!match) return null
  const [, year, month, day] = match.map(Number)
  const date = utcMidnight(year, month, day)
  return date.getUTCMonth() === month - 1 && date.getUTCDate() === day ? value : null
}

function toDate(value: string): Date {
  const iso = parseIsoDate(value)
  if (iso === null) throw new InvalidDateError(value)
  const [year, month, day] = iso.split('-').map(Number)
  return utcMidnight(year, month, day)
}

/** The date itself, after checking it is a real YYYY-MM-DD day. */
function requireDate(value: string): string {
  toDate(value)
  return value
}

function assertInteger(value: number, what: string): void {
  if (!Number.isSafeInteger(value)) {
    throw new RangeError(`Expected an integer ${what}, got ${value}`)
  }
}

export function addDays(date: string, days: number): string {
  assertInteger(days, 'number of days')
  return toIso(new Date(toDate(date).getTime() + days * DAY_MS))
}

/** Whole days from `from` to `to` (negative when `to` is earlier). */
export function daysBetween(from: string, to: string): number {
  return Math.round((toDate(to).getTime() - toDate(from).getTime()) / DAY_MS)
}

/** ISO day of week: 1 = Monday … 7 = Sunday. */
export function dayOfWeek(date: string): number {
  return toDate(date).getUTCDay() || 7
}

/** Easter Sunday in the Gregorian calendar (anonymous Gregorian algorithm). */
export function easterSunday(year: number): string {
  assertInteger(year, 'year')
  if (year < 1583) throw new RangeError(`Easter is computed for Gregorian years only, got ${year}`)
  const a = year % 19
  const b = Math.floor(year / 100)
  const c = year % 100
  const d = Math.floor(b / 4)
  const e = b % 4
  const f = Math.floor((b + 8) / 25)
  const g = Math.floor((b - f + 1) / 3)
  const h = (19 * a + b - d - g + 15) % 30
  const i = Math.floor(c / 4)
  const k = c % 4
  const l = (32 + 2 * e + 2 * i - h - k) % 7
  const m = Math.floor((a + 11 * h + 22 * l) / 451)
  const month = Math.floor((h + l - 7 * m + 114) / 31)
  const day = ((h + l - 7 * m + 114) % 31) + 1
  return toIso(utcMidnight(year, month, day))
}

/** Holidays of a year, computed once: deadlines are checked day after day. */
const holidayCache = new Map<number, ReadonlyMap<string, string>>()

function holidaysOf(year: number): ReadonlyMap<string, string> {
  let holidays = holidayCache.get(year)
  if (!holidays) {
    holidays = computeHolidays(year)
    holidayCache.set(year, holidays)
  }
  return holidays
}

/**
 * Public holidays (dni ustawowo wolne od pracy) under the act of 18 January 1951
 * as amended: Epiphany since 2011, Christmas Eve since 2025. Earlier changes to
 * the list (before 1990) are not modelled.
 */
export function publicHolidays(year: number): Holiday[] {
  return [...holidaysOf(year)].map(([date, name]) => ({ date, name }))
}

function computeHolidays(year: number): ReadonlyMap<string, string> {
  const easter = easterSunday(year)
  const fixed = (monthDay: string, name: string): Holiday => ({ date: `${year}-${monthDay}`, name })
  const list: Holiday[] = [
    fixed('01-01', 'Nowy Rok'),
    { date: easter, name: 'Wielkanoc' },
    { date: addDays(easter, 1), name: 'Poniedziałek Wielkanocny' },
    fixed('05-01', 'Święto Pracy'),
    fixed('05-03', 'Święto Konstytucji 3 Maja'),
    { date: addDays(easter, 49), name: 'Zielone Świątki' },
    { date: addDays(easter, 60), name: 'Boże Ciało' },
    fixed('08-15', 'Wniebowzięcie Najświętszej Maryi Panny'),
    fixed('11-01', 'Wszystkich Świętych'),
    fixed('11-11', 'Narodowe Święto Niepodległości'),
    fixed('12-25', 'Boże Narodzenie'),
    fixed('12-26', 'drugi dzień Bożego Narodzenia'),
  ]
  if (year >= 2011) list.push(fixed('01-06', 'Święto Trzech Króli'))
  if (year >= 2025) list.push(fixed('12-24', 'Wigilia Bożego Narodzenia'))
  list.sort((x, y) => (x.date < y.date ? -1 : x.date > y.date ? 1 : 0))
  return new Map(list.map((holiday) => [holiday.date, holiday.name]))
}

function holidayOn(date: string): string | undefined {
  return holidaysOf(toDate(date).getUTCFullYear()).get(date)
}

export function isHoliday(date: string): boolean {
  return holidayOn(date) !== undefined
}

/** Polish name of the public holiday on that day, or null. */
export function holidayName(date: string): string | null {
  return holidayOn(date) ?? null
}

/** Not a Saturday, Sunday or public holiday. */
export function isWorkingDay(date: string): boolean {
  return dayOfWeek(date) < 6 && !isHoliday(date)
}

/**
 * The day itself when it is a working day, otherwise the first working day after
 * it: a deadline falling on a day off moves there (Tax Ordinance art. 12 §5).
 */
export function nextWorkingDay(date: string): string {
  let current = requireDate(date)
  while (!isWorkingDay(current)) current = addDays(current, 1)
  return current
}

/**
 * The n-th working day after `date` (the date itself is not counted);
 * n = 0 returns the date unchanged.
 */
export function addWorkingDays(date: string, n: number): string {
  assertInteger(n, 'number of working days')
  if (n < 0) throw new RangeError(`Expected a non-negative number of working days, got ${n}`)
  let current = requireDate(date)
  for (let counted = 0; counted < n;) {
    current = addDays(current, 1)
    if (isWorkingDay(current)) counted++
  }
  return current
}

/** Today's date in Poland ('YYYY-MM-DD'): deadlines and "as of today" follow the office's calendar, not UTC. */
export function todayInWarsaw(now: Date = new Date()): string {
  return WARSAW_DAY.format(now)
}

/* Built once: every request asks for today, and constructing the formatter is the costly part. */
const WARSAW_DAY = new Intl.DateTimeFormat('en-CA', { timeZone: 'Europe/Warsaw' })
