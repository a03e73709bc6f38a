import { test } from '@japa/runner'
import { correctedInstallments } from '#fees/services/assessments'
import { installmentSchedule } from '#fees/services/installment_schedule'

/* The 2026 decision issued 2026-02-20: four installments after the working-day shift. */
const ISSUED = '2026-02-20'
function previous(amounts: number[]) {
  const schedule = installmentSchedule({
    kind: 'property-individual',
    year: 2026,
    totalGr: amounts.reduce((a, b) => a + b, 0),
  })
  return schedule.map((installment, index) => ({
    number: installment.number,
    statutoryDue: installment.statutoryDue,
    due: installment.due,
    amountGr: amounts[index],
    existsFrom: ISSUED,
  }))
}
function correct(
  amounts: number[],
  newTotalGr: number,
  effectiveFrom: string,
  issuedOn: string,
  delivered?: string
) {
  return correctedInstallments({
    previous: previous(amounts),
    newSchedule: installmentSchedule({
      kind: 'property-individual',
      year: 2026,
      totalGr: newTotalGr,
      delivered,
    }),
    newTotalGr,
    effectiveFrom,
    issuedOn,
  }).map((i) => [i.number, i.due, i.amountGr, i.existsFrom])
}

test.group('Corrected installments', () => {
  test('installments due before the change stay, the rest of the new amount is spread', ({
    assert,
  }) => {
    /*
     * 1 945 zł (487 + 486 + 486 + 486) corrected to 2 400 zł from 2026-06-01, issued 2026-05-20:
     * March and May stay (973 zł), 1 427 zł over September and November: 713 zł each,
     * the 1 zł that does not divide to the first → 714 + 713.
     */
    const result = correct([48_700, 48_600, 48_600, 48_600], 240_000, '2026-06-01', '2026-05-20')
    assert.deepEqual(result, [
      [1, '2026-03-16', 48_700, ISSUED],
      [2, '2026-05-15', 48_600, ISSUED],
      [3, '2026-09-15', 71_400, '2026-05-20'],
      [4, '2026-11-16', 71_300, '2026-05-20'],
    ])
  })

  test('a new amount below what was already due cuts the kept installments from the latest', ({
    assert,
  }) => {
    /* 4 × 250 zł → 400 zł from 2026-06-01: March 250 stays, May cut to 150, nothing later. */
    const result = correct([25_000, 25_000, 25_000, 25_000], 40_000, '2026-06-01', '2026-05-20')
    assert.deepEqual(result, [
      [1, '2026-03-16', 25_000, ISSUED],
      [2, '2026-05-15', 15_000, ISSUED],
    ])
  })

  test('no statutory date left: the rest is due 14 days after issue (working day)', ({
    assert,
  }) => {
    /* Issued Thursday 2026-12-03 from 2026-12-01 → 2026-12-17 (Thursday). 1 000 → 1 200 zł. */
    const result = correct([25_000, 25_000, 25_000, 25_000], 120_000, '2026-12-01', '2026-12-03')
    assert.deepEqual(result.at(-1), [5, '2026-12-17', 20_000, '2026-12-03'])
    assert.lengthOf(result, 5)
  })

  test('a retroactive increase: passed dates keep what was demanded, the increase is due after issue', ({
    assert,
  }) => {
    /*
     * 4 × 250 zł → 1 400 zł from 2026-04-01, issued 2026-10-01. March (250 zł) stays.
     * 1 150 zł over May, September, November: 384 + 383 + 383 zł.
     * May and September had passed on 2026-10-01: 250 zł each stays owed on its date (and bears
     * interest from then if unpaid), the 134 + 133 = 267 zł increase is due 2026-10-15 (Thursday).
     * November (383 zł) lies ahead. Total 250 + 250 + 250 + 267 + 383 = 1 400 zł.
     */
    const result = correct([25_000, 25_000, 25_000, 25_000], 140_000, '2026-04-01', '2026-10-01')
    assert.deepEqual(result, [
      [1, '2026-03-16', 25_000, ISSUED],
      [2, '2026-05-15', 25_000, ISSUED],
      [3, '2026-09-15', 25_000, ISSUED],
      [4, '2026-10-15', 26_700, '2026-10-01'],
      [5, '2026-11-16', 38_300, '2026-10-01'],
    ])
  })

  test('a retroactive decrease: passed dates owe the new, smaller amount', ({ assert }) => {
    /* 4 × 250 zł → 600 zł from 2026-04-01, issued 2026-10-01: 250 + 118 + 116 + 116 zł. */
    const result = correct([25_000, 25_000, 25_000, 25_000], 60_000, '2026-04-01', '2026-10-01')
    assert.deepEqual(result, [
      [1, '2026-03-16', 25_000, ISSUED],
      [2, '2026-05-15', 11_800, ISSUED],
      [3, '2026-09-15', 11_600, ISSUED],
      [4, '2026-11-16', 11_600, '2026-10-01'],
    ])
  })

  test('the installments always add up to the new amount', ({ assert }) => {
    let seed = 11
    const random = () => (seed = (seed * 48_271) % 2_147_483_647) / 2_147_483_647
    for (let run = 0; run < 300; run++) {
      const old = 100 * (101 + Math.floor(random() * 5_000))
      const each = Math.floor(old / 400) * 100
      const amounts = [old - 3 * each, each, each, each]
      const newTotal = 100 * Math.floor(random() * 6_000)
      const month = String(1 + Math.floor(random() * 12)).padStart(2, '0')
      const issuedMonth = String(
        Number(month) + Math.floor(random() * (13 - Number(month)))
      ).padStart(2, '0')
      const result = correctedInstallments({
        previous: previous(amounts),
        newSchedule: installmentSchedule({
          kind: 'property-individual',
          year: 2026,
          totalGr: newTotal,
        }),
        newTotalGr: newTotal,
        effectiveFrom: `2026-${month}-01`,
        issuedOn: `2026-${issuedMonth}-10`,
      })
      assert.equal(
        result.reduce((sum, i) => sum + i.amountGr, 0),
        newTotal,
        `run ${run}`
      )
      assert.deepEqual(
        result.map((i) => i.number),
        result.map((_, index) => index + 1)
      )
      for (const installment of result) assert.isAtLeast(installment.amountGr, 0)
    }
  })
})

/* What tests/unit/fees/installment_schedule.spec.ts does not cover yet. */
test.group('Installment schedules (edge cases)', () => {
  const plan = (totalGr: number, delivered?: string) =>
    installmentSchedule({ kind: 'property-individual', year: 2026, totalGr, delivered }).map(
      (i) => [i.due, i.amountGr]
    )

  test('100.01 zł is above the single-payment limit and is split in grosze', ({ assert }) => {
    assert.deepEqual(plan(10_001), [
      ['2026-03-16', 2_501],
      ['2026-05-15', 2_500],
      ['2026-09-15', 2_500],
      ['2026-11-16', 2_500],
    ])
  })

  test('a late decision of at most 100 zł: the single installment 14 days after delivery', ({
    assert,
  }) => {
    /* Delivered 2026-04-02 → 2026-04-16 (Thursday). */
    assert.deepEqual(plan(9_900, '2026-04-02'), [['2026-04-16', 9_900]])
  })

  test('delivered on the statutory day itself: that date has not passed yet', ({ assert }) => {
    /* 15 May 2026 is a Friday; delivered that day, May keeps its date. */
    assert.deepEqual(plan(40_000, '2026-05-15')[1], ['2026-05-15', 10_000])
    assert.deepEqual(plan(40_000, '2026-05-15')[0], ['2026-05-29', 10_000])
  })

  test('14 days after delivery falling on a Saturday moves to Monday', ({ assert }) => {
    /* Delivered 2026-06-06 (Saturday) → 2026-06-20 (Saturday) → 2026-06-22. */
    assert.deepEqual(plan(40_000, '2026-06-06').slice(0, 2), [
      ['2026-06-22', 10_000],
      ['2026-06-22', 10_000],
    ])
  })
})
