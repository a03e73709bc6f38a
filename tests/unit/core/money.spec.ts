import { test } from '@japa/runner'
import {
  formatAmount,
  formatMoney,
  MoneyFormatError,
  parseMoney,
  roundToZloty,
  splitProportionally,
} from '#core/services/money'

test.group('Money / formatting', () => {
  test('formats grosze in Polish notation', ({ assert }) => {
    assert.equal(formatMoney(0), '0,00 zł')
    assert.equal(formatMoney(5), '0,05 zł')
    assert.equal(formatMoney(100), '1,00 zł')
    assert.equal(formatMoney(99_999), '999,99 zł')
    assert.equal(formatMoney(123_456), '1 234,56 zł')
    assert.equal(formatMoney(100_000_000), '1 000 000,00 zł')
    assert.equal(formatMoney(123_456_789_01), '123 456 789,01 zł')
  })

  test('formats negative amounts with a leading minus', ({ assert }) => {
    assert.equal(formatMoney(-5), '-0,05 zł')
    assert.equal(formatMoney(-123_456), '-1 234,56 zł')
  })

  test('formats machine amounts with a dot and no grouping', ({ assert }) => {
    assert.equal(formatAmount(0), '0.00')
    assert.equal(formatAmount(7), '0.07')
    assert.equal(formatAmount(123_456), '1234.56')
    assert.equal(formatAmount(-123_456), '-1234.56')
    assert.equal(formatAmount(100_000_000), '1000000.00')
  })

  test('refuses amounts that are not whole grosze', ({ assert }) => {
    assert.throws(() => formatMoney(12.5), RangeError)
    assert.throws(() => formatAmount(Number.NaN), RangeError)
  })
})

test.group('Money / parsing', () => {
  test('reads the usual spellings', ({ assert }) => {
    assert.equal(parseMoney('1234.56'), 123_456)
    assert.equal(parseMoney('1 234,56'), 123_456)
    assert.equal(parseMoney('1\u00a0234,56'), 123_456)
    assert.equal(parseMoney('1234,5'), 123_450)
    assert.equal(parseMoney('12'), 1200)
    assert.equal(parseMoney('0,07'), 7)
    assert.equal(parseMoney(' 1 000 000 '), 100_000_000)
    assert.equal(parseMoney('-12,50'), -1250)
    assert.equal(parseMoney('-0'), 0)
  })

  test('reads back what formatMoney and formatAmount write', ({ assert }) => {
    for (const amount of [0, 5, 99, 100, 123_456, -123_456, 100_000_000]) {
      assert.equal(parseMoney(formatMoney(amount)), amount)
      assert.equal(parseMoney(formatAmount(amount)), amount)
    }
  })

  test('refuses garbage with an error naming the value', ({ assert }) => {
    const bad = [
      '',
      '   ',
      'abc',
      '12 zł 50',
      '1,2,3',
      '12.',
      ',50',
      '1e3',
      '0x10',
      '--5',
      '1 23',
      '12.345,60',
    ]
    for (const text of bad) {
      assert.throws(() => parseMoney(text), MoneyFormatError, JSON.stringify(text))
    }
    try {
      parseMoney('12,3x')
      assert.fail('parseMoney accepted "12,3x"')
    } catch (error) {
      assert.instanceOf(error, MoneyFormatError)
      assert.include((error as MoneyFormatError).message, '"12,3x"')
      assert.equal((error as MoneyFormatError).code, 'E_INVALID_MONEY')
    }
  })

  test('refuses more than two decimal places', ({ assert }) => {
    assert.throws(() => parseMoney('1.234'), /more than two decimal places/)
    assert.throws(() => parseMoney('12,005'), /more than two decimal places/)
  })

  test('refuses amounts beyond safe integers', ({ assert }) => {
    assert.throws(() => parseMoney('900719925474099,92'), /too large/)
  })
})

test.group('Money / rounding and splitting', () => {
  test('rounds to full złoty: below 50 gr down, 50 gr and more up', ({ assert }) => {
    assert.equal(roundToZloty(12_349), 12_300)
    assert.equal(roundToZloty(12_350), 12_400)
    assert.equal(roundToZloty(12_300), 12_300)
    assert.equal(roundToZloty(49), 0)
    assert.equal(roundToZloty(50), 100)
    assert.equal(roundToZloty(0), 0)
  })

  test('rounds negative amounts symmetrically', ({ assert }) => {
    assert.equal(roundToZloty(-12_349), -12_300)
    assert.equal(roundToZloty(-12_350), -12_400)
    assert.equal(roundToZloty(-49), 0)
    assert.isFalse(Object.is(roundToZloty(-49), -0))
  })

  test('splits proportionally and always sums to the total', ({ assert }) => {
    assert.deepEqual(splitProportionally(100, [1, 1, 1]), [34, 33, 33])
    assert.deepEqual(splitProportionally(10_000, [3, 1]), [7500, 2500])
    assert.deepEqual(splitProportionally(1000, [0.1, 0.2, 0.7]), [100, 200, 700])
    assert.deepEqual(splitProportionally(500, [0, 1]), [0, 500])
    assert.deepEqual(splitProportionally(-101, [1, 1]), [-51, -50])

    // A partial payment of 300.00 zł against 1 000.00 zł arrears and 37.15 zł interest.
    const [arrears, interest] = splitProportionally(30_000, [100_000, 3715])
    assert.equal(arrears + interest, 30_000)
    assert.equal(arrears, 28_925)
    assert.equal(interest, 1075)

    for (const [total, weights] of [
      [1, [1, 1, 1]],
      [99_999, [7, 13, 17, 19]],
      [1_000_001, [1 / 3, 1 / 7, 1 / 11]],
      [12_345_678, [5_000_000_000, 1, 1]],
    ] as Array<[number, number[]]>) {
      const parts = splitProportionally(total, weights)
      assert.equal(
        parts.reduce((sum, part) => sum + part, 0),
        total
      )
      assert.isTrue(parts.every(Number.isInteger))
    }
  })

  test('refuses weights it cannot split by', ({ assert }) => {
    assert.throws(() => splitProportionally(100, []), RangeError)
    assert.throws(() => splitProportionally(100, [0, 0]), RangeError)
    assert.throws(() => splitProportionally(100, [1, -1]), RangeError)
    assert.throws(() => splitProportionally(10.5, [1, 1]), RangeError)
  })
})
