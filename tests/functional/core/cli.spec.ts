import { test } from '@japa/runner'
import { runAce as ace, type AceRun } from '#tests/helpers'

/** The commands promise exactly one line of JSON on stdout. */
function jsonLine(run: AceRun): unknown {
  const lines = run.stdout.trim().split('\n')
  if (lines.length !== 1) throw new Error(`Expected one line on stdout, got:\n${run.stdout}`)
  return JSON.parse(lines[0])
}

test.group('CLI / id:check', () => {
  test('reports a valid PESEL with birth date and sex', async ({ assert }) => {
    const run = await ace(['id:check', 'pesel', '440514-01359', '--json'])
    assert.equal(run.exitCode, 0, run.stderr)
    assert.deepEqual(jsonLine(run), {
      kind: 'pesel',
      value: '44051401359',
      valid: true,
      reason: null,
      birthDate: '1944-05-14',
      sex: 'M',
    })
  }).timeout(60_000)

  test('reports an invalid NIP with exit code 0 and the reason', async ({ assert }) => {
    const run = await ace(['id:check', 'nip', '123-456-32-19', '--json'])
    assert.equal(run.exitCode, 0, run.stderr)
    assert.deepEqual(jsonLine(run), {
      kind: 'nip',
      value: '1234563219',
      valid: false,
      reason: 'wrong check digit',
    })
  }).timeout(60_000)

  test('accepts an account number in IBAN form with spaces', async ({ assert }) => {
    const run = await ace(['id:check', 'nrb', 'PL61 1090 1014 0000 0712 1981 2874', '--json'])
    assert.equal(run.exitCode, 0, run.stderr)
    assert.deepEqual(jsonLine(run), {
      kind: 'nrb',
      value: '61109010140000071219812874',
      valid: true,
      reason: null,
    })
  }).timeout(60_000)

  test('exits with 2 on an unknown kind, printing only to stderr', async ({ assert }) => {
    const run = await ace(['id:check', 'passport', 'ABC123456', '--json'])
    assert.equal(run.exitCode, 2)
    assert.equal(run.stdout, '')
    assert.include(run.stderr, 'Unknown identifier kind "passport"')
  }).timeout(60_000)

  test('exits with 2 when the arguments are missing', async ({ assert }) => {
    const run = await ace(['id:check', '--json'])
    assert.equal(run.exitCode, 2)
    assert.equal(run.stdout, '')
    assert.include(run.stderr, 'Missing identifier kind')
  }).timeout(60_000)
})

test.group('CLI / calendar', () => {
  test('lists the holidays of 2026 as JSON in date order', async ({ assert }) => {
    const run = await ace(['calendar:holidays', '2026', '--json'])
    assert.equal(run.exitCode, 0, run.stderr)
    const holidays = jsonLine(run) as Array<{ date: string; name: string }>
    assert.lengthOf(holidays, 14)
    assert.deepEqual(holidays[0], { date: '2026-01-01', name: 'Nowy Rok' })
    assert.deepInclude(holidays, { date: '2026-06-04', name: 'Boże Ciało' })
    assert.deepInclude(holidays, { date: '2026-12-24', name: 'Wigilia Bożego Narodzenia' })
    const dates = holidays.map((holiday) => holiday.date)
    assert.deepEqual(dates, [...dates].sort())
  }).timeout(60_000)

  test('refuses a year that is not four digits', async ({ assert }) => {
    const run = await ace(['calendar:holidays', 'abc', '--json'])
    assert.equal(run.exitCode, 2)
    assert.equal(run.stdout, '')
    assert.include(run.stderr, 'Invalid year "abc"')
  }).timeout(60_000)

  test('moves a deadline on Christmas Eve 2026 to Monday 28 December', async ({ assert }) => {
    const run = await ace(['calendar:next-working-day', '2026-12-24', '--json'])
    assert.equal(run.exitCode, 0, run.stderr)
    assert.deepEqual(jsonLine(run), { date: '2026-12-24', nextWorkingDay: '2026-12-28' })
  }).timeout(60_000)

  test('refuses a day that does not exist', async ({ assert }) => {
    const run = await ace(['calendar:next-working-day', '2025-02-30', '--json'])
    assert.equal(run.exitCode, 2)
    assert.equal(run.stdout, '')
    assert.include(run.stderr, 'Invalid date "2025-02-30"')
  }).timeout(60_000)
})
