import { test } from '@japa/runner'
import { calculateFee, FeeError, type FeeType } from '#fees/services/other_fees'
import { parseFeeSchedule, parseWasteSchedule } from '#fees/services/fee_schedules'

const dogFee: FeeType = {
  id: 1,
  code: 'psy',
  name: 'Opłata od posiadania psów',
  amountRule: 'per_unit',
  amountGr: 4_550,
  unitLabel: 'pies',
  schedule: 'once:03-31',
  rounding: 'none',
  isActive: true,
}

const plan = (feeType: Partial<FeeType>, unitsE4 = 10_000, issuedOn = '2027-01-05') =>
  calculateFee({ feeType: { ...dogFee, ...feeType }, year: 2027, unitsE4, issuedOn })

test.group('Other fees', () => {
  test('per unit, once a year: units × amount, due on the day (a Wednesday)', ({ assert }) => {
    const fee = plan({}, 20_000)
    assert.equal(fee.totalGr, 9_100)
    assert.deepEqual(fee.installments, [
      { number: 1, statutoryDue: '2027-03-31', due: '2027-03-31', amountGr: 9_100 },
    ])
    assert.equal(fee.line.baseE4, 20_000)
    assert.include(fee.line.description, '2 pies × 45,50 zł')
  })

  test('rounding to full złoty when the fee type says so, otherwise exact to the grosz', ({
    assert,
  }) => {
    /* 2,5 × 33,33 zł = 83,325 zł → 83,33 zł exact; 83,00 zł rounded */
    assert.equal(plan({ amountGr: 3_333 }, 25_000).totalGr, 8_333)
    assert.equal(plan({ amountGr: 3_333, rounding: 'zloty' }, 25_000).totalGr, 8_300)
    assert.equal(plan({ amountGr: 3_350, rounding: 'zloty', amountRule: 'fixed' }).totalGr, 3_400)
  })

  test('a fixed fee ignores units', ({ assert }) => {
    assert.equal(plan({ amountRule: 'fixed', amountGr: 12_000 }, 70_000).totalGr, 12_000)
  })

  test('quarterly: four parts to the end of each quarter, the remainder on the first', ({
    assert,
  }) => {
    const fee = plan({ amountRule: 'fixed', amountGr: 10_001, schedule: 'quarterly' })
    assert.deepEqual(
      fee.installments.map((installment) => [installment.statutoryDue, installment.amountGr]),
      [
        ['2027-03-31', 2_501],
        ['2027-06-30', 2_500],
        ['2027-09-30', 2_500],
        ['2027-12-31', 2_500],
      ]
    )
  })

  test('monthly by the 31st: the last day of shorter months, shifted to a working day', ({
    assert,
  }) => {
    const fee = plan({ amountRule: 'fixed', amountGr: 120_000, schedule: 'monthly:31' })
    assert.lengthOf(fee.installments, 12)
    /* 28 February 2027 is a Sunday. */
    assert.equal(fee.installments[1].statutoryDue, '2027-02-28')
    assert.equal(fee.installments[1].due, '2027-03-01')
    assert.equal(fee.installments[3].statutoryDue, '2027-04-30')
    assert.isTrue(fee.installments.every((installment) => installment.amountGr === 10_000))
  })

  test('property dates; those already passed on the day of issue are due 14 days after it', ({
    assert,
  }) => {
    const fee = plan(
      { amountRule: 'fixed', amountGr: 40_000, schedule: 'property' },
      10_000,
      '2027-06-01'
    )
    assert.deepEqual(
      fee.installments.map((installment) => [installment.statutoryDue, installment.due]),
      [
        ['2027-03-15', '2027-06-15'],
        ['2027-05-15', '2027-06-15'],
        ['2027-09-15', '2027-09-15'],
        ['2027-11-15', '2027-11-15'],
      ]
    )
  })

  test('no units for a per-unit fee is refused, naming the field', ({ assert }) => {
    try {
      plan({}, 0)
      assert.fail('expected a FeeError')
    } catch (error) {
      assert.instanceOf(error, FeeError)
      assert.equal((error as FeeError).field, 'units')
    }
  })

  test('schedules: what parses and what does not', ({ assert }) => {
    assert.deepEqual(parseFeeSchedule('once:03-31'), { kind: 'once', month: 3, day: 31 })
    assert.deepEqual(parseFeeSchedule('monthly:10'), { kind: 'monthly', day: 10 })
    assert.deepEqual(parseFeeSchedule('property'), { kind: 'property' })
    for (const bad of ['once:02-29', 'once:04-31', 'monthly:32', 'monthly:0', 'weekly', ''])
      assert.isNull(parseFeeSchedule(bad), bad)
    assert.deepEqual(parseWasteSchedule('quarterly:15'), { kind: 'quarterly', day: 15 })
    assert.isNull(parseWasteSchedule('monthly'))
  })
})
