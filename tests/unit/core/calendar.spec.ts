import { test } from '@japa/runner'
import {
  addDays,
  addWorkingDays,
  dayOfWeek,
  daysBetween,
  easterSunday,
  holidayName,
  InvalidDateError,
  isHoliday,
  isWorkingDay,
  nextWorkingDay,
  parseIsoDate,
  publicHolidays,
} from '#core/services/calendar'

test.group('Calendar / Easter and holidays', () => {
  test('computes Easter Sunday', ({ assert }) => {
    assert.equal(easterSunday(2024), '2024-03-31')
    assert.equal(easterSunday(2025), '2025-04-20')
    assert.equal(easterSunday(2026), '2026-04-05')
    assert.equal(easterSunday(2027), '2027-03-28')
    assert.equal(easterSunday(2038), '2038-04-25')
    assert.equal(easterSunday(2285), '2285-03-22')
  })

  test('lists all public holidays of 2026 in date order', ({ assert }) => {
    assert.deepEqual(publicHolidays(2026), [
      { date: '2026-01-01', name: 'Nowy Rok' },
      { date: '2026-01-06', name: 'Święto Trzech Króli' },
      { date: '2026-04-05', name: 'Wielkanoc' },
      { date: '2026-04-06', name: 'Poniedziałek Wielkanocny' },
      { date: '2026-05-01', name: 'Święto Pracy' },
      { date: '2026-05-03', name: 'Święto Konstytucji 3 Maja' },
      { date: '2026-05-24', name: 'Zielone Świątki' },
      { date: '2026-06-04', name: 'Boże Ciało' },
      { date: '2026-08-15', name: 'Wniebowzięcie Najświętszej Maryi Panny' },
      { date: '2026-11-01', name: 'Wszystkich Świętych' },
      { date: '2026-11-11', name: 'Narodowe Święto Niepodległości' },
      { date: '2026-12-24', name: 'Wigilia Bożego Narodzenia' },
      { date: '2026-12-25', name: 'Boże Narodzenie' },
      { date: '2026-12-26', name: 'drugi dzień Bożego Narodzenia' },
    ])
  })

  test('has Christmas Eve off only from 2025', ({ assert }) => {
    assert.lengthOf(publicHolidays(2024), 13)
    assert.isFalse(isHoliday('2024-12-24'))
    assert.isTrue(isWorkingDay('2024-12-24'))
    assert.lengthOf(publicHolidays(2025), 14)
    assert.isTrue(isHoliday('2025-12-24'))
    assert.equal(holidayName('2025-12-24'), 'Wigilia Bożego Narodzenia')
  })

  test('returns a fresh list each time so callers cannot corrupt the cache', ({ assert }) => {
    const first = publicHolidays(2026)
    first[0].name = 'changed'
    first.pop()
    assert.equal(publicHolidays(2026)[0].name, 'Nowy Rok')
    assert.lengthOf(publicHolidays(2026), 14)
  })

  test('names the holiday of a day', ({ assert }) => {
    assert.equal(holidayName('2026-06-04'), 'Boże Ciało')
    assert.isNull(holidayName('2026-06-05'))
  })
})

test.group('Calendar / working days', () => {
  test('knows weekends and holidays', ({ assert }) => {
    assert.isTrue(isWorkingDay('2026-03-16'))
    assert.isFalse(isWorkingDay('2026-03-14'))
    assert.isFalse(isWorkingDay('2026-03-15'))
    assert.isFalse(isWorkingDay('2026-04-06'))
    assert.isFalse(isWorkingDay('2026-11-11'))
    assert.equal(dayOfWeek('2026-03-15'), 7)
    assert.equal(dayOfWeek('2026-03-16'), 1)
  })

  test('moves a deadline falling on a weekend to Monday', ({ assert }) => {
    // 15 Nov 2025 is a Saturday
    assert.equal(nextWorkingDay('2025-11-15'), '2025-11-17')
    assert.equal(nextWorkingDay('2025-11-16'), '2025-11-17')
  })

  test('keeps a deadline that already falls on a working day', ({ assert }) => {
    assert.equal(nextWorkingDay('2026-03-16'), '2026-03-16')
  })

  test('moves a deadline over Easter Monday', ({ assert }) => {
    assert.equal(nextWorkingDay('2026-04-04'), '2026-04-07')
    assert.equal(nextWorkingDay('2026-04-06'), '2026-04-07')
  })

  test('moves a deadline over Christmas 2026 (24 Dec is a Thursday)', ({ assert }) => {
    assert.equal(dayOfWeek('2026-12-24'), 4)
    assert.equal(nextWorkingDay('2026-12-24'), '2026-12-28')
    assert.equal(nextWorkingDay('2026-12-23'), '2026-12-23')
  })

  test('moves across the turn of the year', ({ assert }) => {
    // 1 Jan 2027 is a Friday
    assert.equal(nextWorkingDay('2026-12-31'), '2026-12-31')
    assert.equal(nextWorkingDay('2027-01-01'), '2027-01-04')
  })

  test('adds working days across the May long weekend', ({ assert }) => {
    // 30 Apr 2026 Thursday; 1 May Friday (holiday), 2–3 May weekend
    assert.equal(addWorkingDays('2026-04-30', 1), '2026-05-04')
    assert.equal(addWorkingDays('2026-04-30', 2), '2026-05-05')
    assert.equal(addWorkingDays('2026-04-30', 0), '2026-04-30')
    assert.equal(addWorkingDays('2026-12-23', 1), '2026-12-28')
    assert.throws(() => addWorkingDays('2026-04-30', -1), /non-negative/)
  })
})

test.group('Calendar / dates', () => {
  test('adds days across months, leap days and years', ({ assert }) => {
    assert.equal(addDays('2024-02-28', 1), '2024-02-29')
    assert.equal(addDays('2025-02-28', 1), '2025-03-01')
    assert.equal(addDays('2025-12-31', 1), '2026-01-01')
    assert.equal(addDays('2026-03-01', -1), '2026-02-28')
    // The switch to summer time (29 Mar 2026 in Poland) must not lose a day.
    assert.equal(addDays('2026-03-28', 2), '2026-03-30')
    assert.equal(daysBetween('2026-03-15', '2026-04-14'), 30)
    assert.equal(daysBetween('2026-04-14', '2026-03-15'), -30)
  })

  test('parses only real days written as YYYY-MM-DD', ({ assert }) => {
    assert.equal(parseIsoDate('2024-02-29'), '2024-02-29')
    assert.equal(parseIsoDate('2026-12-31'), '2026-12-31')
    assert.isNull(parseIsoDate('2025-02-29'))
    assert.isNull(parseIsoDate('2025-02-30'))
    assert.isNull(parseIsoDate('2025-13-01'))
    assert.isNull(parseIsoDate('2025-00-10'))
    assert.isNull(parseIsoDate('2025-2-3'))
    assert.isNull(parseIsoDate('2025-02-03T00:00:00Z'))
    assert.isNull(parseIsoDate('03.02.2025'))
    assert.isNull(parseIsoDate(''))
    assert.isNull(parseIsoDate(20250203))
  })

  test('refuses invalid dates in calculations', ({ assert }) => {
    assert.throws(() => nextWorkingDay('2025-02-30'), InvalidDateError)
    assert.throws(() => addDays('tomorrow', 1), InvalidDateError)
    assert.throws(() => addDays('2026-01-01', 1.5), RangeError)
  })
})
