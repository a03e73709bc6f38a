import { test } from '@japa/runner'
import {
  installmentSchedule,
  splitIntoInstallments,
  ScheduleInputError,
} from '#fees/services/installment_schedule'

const plan = (totalGr: number, year = 2027, delivered?: string) =>
  installmentSchedule({ kind: 'property-individual', year, totalGr, delivered }).map((i) => [
    i.number,
    i.due,
    i.amountGr,
  ])

test.group('Installment schedules', () => {
  test('property tax of an individual: 15 March, 15 May, 15 September, 15 November', ({
    assert,
  }) => {
    assert.deepEqual(plan(123_400, 2026), [
      [1, '2026-03-16', 31_000],
      [2, '2026-05-15', 30_800],
      [3, '2026-09-15', 30_800],
      [4, '2026-11-16', 30_800],
    ])
  })

  test('due dates on a Saturday, a Sunday and a holiday move to the next working day', ({
    assert,
  }) => {
    /* Saturday: 15 May 2027. Sunday: 15 March 2026. Holiday: 15 August 2025 (a monthly due date of legal persons). */
    const may2027 = installmentSchedule({
      kind: 'property-individual',
      year: 2027,
      totalGr: 40_000,
    })[1]
    assert.equal(may2027.statutoryDue, '2027-05-15')
    assert.equal(may2027.due, '2027-05-17')
    const march2026 = installmentSchedule({
      kind: 'property-individual',
      year: 2026,
      totalGr: 40_000,
    })[0]
    assert.equal(march2026.due, '2026-03-16')
    /* Legal persons pay January by the 31st: 31 January 2027 is a Sunday → 1 February. */
    const monthly = installmentSchedule({
      kind: 'legal-person-monthly',
      year: 2025,
      totalGr: 1_200_000,
    })
    assert.lengthOf(monthly, 12)
    assert.equal(monthly.find((i) => i.statutoryDue === '2025-08-15')!.due, '2025-08-18')
    const monthly2027 = installmentSchedule({
      kind: 'legal-person-monthly',
      year: 2027,
      totalGr: 1_200_000,
    })
    assert.equal(monthly2027[0].statutoryDue, '2027-01-31')
    assert.equal(monthly2027[0].due, '2027-02-01')
  })

  test('at most 100 zł is paid at once by the first date', ({ assert }) => {
    assert.deepEqual(plan(10_000), [[1, '2027-03-15', 10_000]])
    assert.deepEqual(plan(10_100).length, 4)
  })

  test('a late decision: installments already due are paid within 14 days of delivery', ({
    assert,
  }) => {
    /* Delivered 2027-06-10: March and May have passed → 24 June; September and November keep their dates. */
    assert.deepEqual(plan(200_000, 2027, '2027-06-10'), [
      [1, '2027-06-24', 50_000],
      [2, '2027-06-24', 50_000],
      [3, '2027-09-15', 50_000],
      [4, '2027-11-15', 50_000],
    ])
    /* The 14th day falling on a holiday moves too: delivered 2027-04-19 → 3 May (holiday) → 4 May. */
    assert.deepEqual(plan(9_000, 2027, '2027-04-19'), [[1, '2027-05-04', 9_000]])
  })

  test('transport tax: 15 February and 15 September', ({ assert }) => {
    const items = installmentSchedule({ kind: 'transport', year: 2027, totalGr: 300_100 })
    assert.deepEqual(
      items.map((i) => [i.due, i.amountGr]),
      [
        ['2027-02-15', 150_100],
        ['2027-09-15', 150_000],
      ]
    )
  })

  test('the remainder of the division goes to the first installment', ({ assert }) => {
    assert.deepEqual(splitIntoInstallments(123_500, 4), [31_100, 30_800, 30_800, 30_800])
    assert.deepEqual(splitIntoInstallments(100_003, 4), [25_003, 25_000, 25_000, 25_000])
    assert.equal(
      splitIntoInstallments(987_600, 12).reduce((a, b) => a + b, 0),
      987_600
    )
  })

  test('bad input is refused', ({ assert }) => {
    assert.throws(
      () => installmentSchedule({ kind: 'dog' as any, year: 2027, totalGr: 100 }),
      ScheduleInputError
    )
    assert.throws(
      () => installmentSchedule({ kind: 'transport', year: 2027, totalGr: -1 }),
      ScheduleInputError
    )
  })
})

test.group('Installment schedules / delivery on a shifted deadline', () => {
  test('delivered on the Monday a Sunday deadline moved to: that installment keeps its deadline', ({
    assert,
  }) => {
    /* 15 March 2026 is a Sunday, so the first installment is due Monday 16 March. */
    const onTheDay = installmentSchedule({
      kind: 'property-individual',
      year: 2026,
      totalGr: 40_000,
      delivered: '2026-03-16',
    })
    assert.equal(onTheDay[0].due, '2026-03-16')
    const dayAfter = installmentSchedule({
      kind: 'property-individual',
      year: 2026,
      totalGr: 40_000,
      delivered: '2026-03-17',
    })
    assert.equal(dayAfter[0].due, '2026-03-31')
  })
})
