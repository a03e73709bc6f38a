import { test } from '@japa/runner'
import { lateInterest, InterestInputError } from '#fees/services/interest_calculator'
import { DEFAULT_INTEREST_RATES } from '#fees/services/default_interest_rates'
import { splitPayment } from '#fees/services/payment_split'

const rates = DEFAULT_INTEREST_RATES
const threshold = 870

function interest(
  amountGr: number,
  due: string,
  paid: string,
  kind?: 'reduced' | 'standard' | 'increased'
) {
  return lateInterest({ amountGr, due, paid, rates, kind, thresholdGr: threshold })
}

test.group('Late-payment interest', () => {
  test('the documented case: 1 000 zł, 301 days at 14.50 % → 120 zł', ({ assert }) => {
    const result = interest(100_000, '2024-03-15', '2025-01-10')
    assert.equal(result.days, 301)
    assert.equal(result.interestGr, 12_000)
    assert.isTrue(result.charged)
    assert.deepEqual(
      result.periods.map((p) => [p.from, p.to, p.days, p.rateBp, p.interestGr]),
      [['2024-03-16', '2025-01-10', 301, 1450, 11_958]]
    )
  })

  test('a payment on or before the due date bears no interest', ({ assert }) => {
    for (const paid of ['2024-03-15', '2024-03-01']) {
      const result = interest(100_000, '2024-03-15', paid)
      assert.equal(result.days, 0)
      assert.equal(result.interestGr, 0)
      assert.isFalse(result.charged)
      assert.lengthOf(result.periods, 0)
    }
  })

  test('across several rate changes each day takes the rate in force that day', ({ assert }) => {
    /* 2025-04-15 … 2025-12-31 crosses 13.50, 13.00, 12.50, 12.00, 11.50 and 11.00 %. */
    const result = interest(1_000_000, '2025-04-15', '2025-12-31')
    assert.deepEqual(
      result.periods.map((p) => [p.from, p.to, p.days, p.rateBp]),
      [
        ['2025-04-16', '2025-05-07', 22, 1450],
        ['2025-05-08', '2025-07-02', 56, 1350],
        ['2025-07-03', '2025-09-03', 63, 1300],
        ['2025-09-04', '2025-10-08', 35, 1250],
        ['2025-10-09', '2025-11-05', 28, 1200],
        ['2025-11-06', '2025-12-03', 28, 1150],
        ['2025-12-04', '2025-12-31', 28, 1100],
      ]
    )
    assert.equal(result.days, 260)
    assert.equal(
      result.periods.reduce((sum, p) => sum + p.days, 0),
      result.days
    )
    const exact =
      (10_000 * (22 * 14.5 + 56 * 13.5 + 63 * 13 + 35 * 12.5 + 28 * 12 + 28 * 11.5 + 28 * 11)) / 365
    assert.equal(result.interestGr, Math.round(exact / 100) * 100)
  })

  test('a payment on a rate-change day: that day already bears the new rate', ({ assert }) => {
    const result = interest(1_000_000, '2025-05-01', '2025-05-08')
    assert.deepEqual(
      result.periods.map((p) => [p.from, p.to, p.days, p.rateBp]),
      [
        ['2025-05-02', '2025-05-07', 6, 1450],
        ['2025-05-08', '2025-05-08', 1, 1350],
      ]
    )
  })

  test('a leap year still counts 365 days a year', ({ assert }) => {
    /* 2024-01-01 … 2024-12-31 is 366 days at 14.50 %: more than the yearly rate. */
    const result = interest(100_000, '2023-12-31', '2024-12-31')
    assert.equal(result.days, 366)
    assert.equal(result.periods[0].interestGr, Math.round((100_000 * 0.145 * 366) / 365))
    assert.equal(result.interestGr, 14_500)
  })

  test('the threshold: interest that rounds to 8 zł is not charged, 9 zł is', ({ assert }) => {
    /* 1 000 zł at 10.50 %: 29 days → 8.34 zł → 8 zł; 31 days → 8.92 zł → 9 zł. */
    const below = interest(100_000, '2026-04-01', '2026-04-30')
    assert.equal(below.periods[0].interestGr, 834)
    assert.isFalse(below.charged)
    assert.equal(below.interestGr, 0)
    const above = interest(100_000, '2026-04-01', '2026-05-02')
    assert.equal(above.periods[0].interestGr, 892)
    assert.isTrue(above.charged)
    assert.equal(above.interestGr, 900)
  })

  test('reduced and increased rates are 50 % and 150 % of the standard rate', ({ assert }) => {
    const reduced = interest(100_000, '2024-03-15', '2025-01-10', 'reduced')
    const increased = interest(100_000, '2024-03-15', '2025-01-10', 'increased')
    assert.equal(reduced.periods[0].rateBp, 725)
    assert.equal(increased.periods[0].rateBp, 2175)
    assert.equal(reduced.interestGr, 6_000)
    assert.equal(increased.interestGr, 17_900)
  })

  test('a payment before the first known rate is refused', ({ assert }) => {
    assert.throws(() => interest(100_000, '2010-01-01', '2011-01-01'), InterestInputError)
  })
})

test.group('Partial payment split (art. 55 §2)', () => {
  test('a payment short of arrears plus interest is shared in their proportion', ({ assert }) => {
    /* 1 000 zł arrears and 120 zł interest; 560 zł paid → half of each. */
    assert.deepEqual(splitPayment(56_000, 100_000, 12_000), {
      toArrearsGr: 50_000,
      toInterestGr: 6_000,
      leftoverGr: 0,
    })
    const odd = splitPayment(10_001, 100_000, 12_000)
    assert.equal(odd.toArrearsGr + odd.toInterestGr, 10_001)
  })

  test('a payment covering both pays both and leaves the rest over', ({ assert }) => {
    assert.deepEqual(splitPayment(120_000, 100_000, 12_000), {
      toArrearsGr: 100_000,
      toInterestGr: 12_000,
      leftoverGr: 8_000,
    })
  })
})

test.group('Rounding of the calculator', () => {
  test('rounded to full złoty once, from the exact value: 8,495 zł is 8 zł, not 9 zł', ({
    assert,
  }) => {
    /* 1 240,27 zł × 10 % × 25 / 365 = 8,495 zł exactly. */
    const result = lateInterest({
      amountGr: 124_027,
      due: '2024-01-01',
      paid: '2024-01-26',
      rates: [{ from: '2020-01-01', standardBp: 1000 }],
      thresholdGr: 0,
    })
    assert.equal(result.days, 25)
    assert.equal(result.interestGr, 800)
  })
})
