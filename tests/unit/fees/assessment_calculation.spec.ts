import { test } from '@japa/runner'
import {
  CalculationError,
  calculateAssessment,
  formatScaled,
  parseScaled,
  taxableMonths,
  type TaxObjectInput,
  type TaxRateInput,
} from '#fees/services/assessment_calculation'
import type { TaxKind } from '#fees/services/tax_categories'

/* Rates × 10^4: zł per unit, for structures the fraction (2 % = 200). */
const RATES: TaxRateInput[] = [
  { tax: 'property', category: 'land_other', unit: 'm2', rateE4: 6_100 },
  { tax: 'property', category: 'building_residential', unit: 'm2', rateE4: 11_500 },
  { tax: 'property', category: 'structure', unit: 'value', rateE4: 200 },
  { tax: 'agricultural', category: 'agri_arable', unit: 'ha_conv', rateE4: 2_162_500 },
  { tax: 'forest', category: 'forest', unit: 'ha', rateE4: 465_000 },
]

let nextId = 1
function object(
  tax: TaxKind,
  category: string,
  baseE4: number,
  validFrom = '2000-01-01',
  validTo: string | null = null
): TaxObjectInput {
  return {
    id: nextId++,
    tax,
    category,
    description: category,
    location: null,
    baseE4,
    validFrom,
    validTo,
  }
}
const calculate = (objects: TaxObjectInput[], rates = RATES) =>
  calculateAssessment({ year: 2026, objects, rates })

test.group('Assessment calculation', () => {
  test('one line per object: base × rate = amount, rounded to the grosz', ({ assert }) => {
    /* 1 250 m² × 0.61 = 762.50 zł; 142.5 m² × 1.15 = 163.875 → 163.88 zł. Property 926.38 → 926 zł. */
    const result = calculate([
      object('property', 'land_other', 1_250_0000),
      object('property', 'building_residential', 142_5000),
    ])
    assert.deepEqual(
      result.lines.map((l) => [l.position, l.baseE4, l.rateE4, l.months, l.amountGr]),
      [
        [1, 1_250_0000, 6_100, 12, 76_250],
        [2, 142_5000, 11_500, 12, 16_388],
      ]
    )
    assert.deepEqual(
      result.subtotals.map((s) => [s.tax, s.exactGr, s.amountGr]),
      [['property', 92_638, 92_600]]
    )
    assert.equal(result.totalGr, 92_600)
  })

  test('each tax is rounded to full złoty: 49 gr down, 50 gr up', ({ assert }) => {
    /* 100.80 m² × 0.61 = 61.488 → 61.49 zł → 61 zł; 100.82 m² × 0.61 = 61.5002 → 61.50 zł → 62 zł. */
    assert.equal(calculate([object('property', 'land_other', 100_8000)]).totalGr, 6_100)
    assert.equal(calculate([object('property', 'land_other', 100_8200)]).totalGr, 6_200)
  })

  test('the combined liability rounds each tax on its own, then adds them', ({ assert }) => {
    /*
     * Property 61.50 → 62 zł, agricultural 1 ha × 216.25 → 216 zł, forest 1 ha × 46.50 → 47 zł:
     * 325 zł, where rounding the sum (324.25 zł) would give 324 zł.
     */
    const result = calculate([
      object('property', 'land_other', 100_8200),
      object('agricultural', 'agri_arable', 1_0000),
      object('forest', 'forest', 1_0000),
    ])
    assert.deepEqual(
      result.subtotals.map((s) => [s.tax, s.exactGr, s.amountGr]),
      [
        ['property', 6_150, 6_200],
        ['agricultural', 21_625, 21_600],
        ['forest', 4_650, 4_700],
      ]
    )
    assert.equal(result.totalGr, 32_500)
  })

  test('a value base is rounded to full złoty before the rate applies', ({ assert }) => {
    /* Structure worth 12 345.50 zł → 12 346 zł × 2 % = 246.92 zł (not 246.91) → 247 zł. 12 345.49 → 12 345 × 2 % = 246.90. */
    const up = calculate([object('property', 'structure', 12_345_5000)])
    assert.equal(up.lines[0].baseE4, 12_346_0000)
    assert.equal(up.lines[0].amountGr, 24_692)
    assert.equal(up.totalGr, 24_700)
    const down = calculate([object('property', 'structure', 12_345_4900)])
    assert.equal(down.lines[0].baseE4, 12_345_0000)
    assert.equal(down.lines[0].amountGr, 24_690)
    /* Areas are not rounded: 142.5 m² stays 142.5 m². */
    assert.equal(
      calculate([object('property', 'building_residential', 142_5000)]).lines[0].baseE4,
      142_5000
    )
  })

  test('part of a year: the months the obligation existed', ({ assert }) => {
    /*
     * Bought 2026-04-10 → taxed from May; sold 2026-09-20 → taxed to the end of September.
     * 100 m² × 1.15 = 115 zł a year; May–December 8/12 → 76.67 zł; May–September 5/12 → 47.92 zł.
     */
    const bought = calculate([object('property', 'building_residential', 100_0000, '2026-04-10')])
    assert.equal(bought.lines[0].months, 8)
    assert.equal(bought.lines[0].amountGr, 7_667)
    assert.equal(bought.totalGr, 7_700)
    const boughtAndSold = calculate([
      object('property', 'building_residential', 100_0000, '2026-04-10', '2026-09-20'),
    ])
    assert.equal(boughtAndSold.lines[0].months, 5)
    assert.equal(boughtAndSold.lines[0].amountGr, 4_792)
    /* Held in another year only: no line at all. */
    const gone = calculate([
      object('property', 'land_other', 100_0000, '2000-01-01', '2025-12-31'),
      object('property', 'land_other', 100_0000),
    ])
    assert.lengthOf(gone.lines, 1)
  })

  test('taxable months (obligation from the month after, ends with the month it ceased)', ({
    assert,
  }) => {
    assert.equal(taxableMonths(2026, '2019-05-05', null), 12)
    assert.equal(taxableMonths(2026, '2025-12-15', null), 12)
    assert.equal(taxableMonths(2026, '2026-01-15', null), 11)
    assert.equal(taxableMonths(2026, '2026-12-05', null), 0)
    assert.equal(taxableMonths(2026, '2019-05-05', '2026-03-10'), 3)
    assert.equal(taxableMonths(2026, '2019-05-05', '2026-12-31'), 12)
    assert.equal(taxableMonths(2026, '2026-03-10', '2026-03-20'), 0)
    assert.equal(taxableMonths(2026, '2027-01-10', null), 0)
  })

  test('a missing rate is refused with an error naming the field', ({ assert }) => {
    const noForest = RATES.filter((rate) => rate.tax !== 'forest')
    try {
      calculate([object('forest', 'forest', 1_0000)], noForest)
      assert.fail('expected a CalculationError')
    } catch (error) {
      assert.instanceOf(error, CalculationError)
      assert.equal((error as CalculationError).field, 'rates')
      assert.include((error as CalculationError).message, 'Lasy')
      assert.include((error as CalculationError).message, '2026')
    }
  })

  test('an unknown category, a rate in the wrong unit and a negative base are refused', ({
    assert,
  }) => {
    const fieldOf = (fn: () => unknown) => {
      try {
        fn()
      } catch (error) {
        assert.instanceOf(error, CalculationError)
        return (error as CalculationError).field
      }
      return null
    }
    assert.equal(
      fieldOf(() => calculate([object('property', 'castle', 1_0000)])),
      'category'
    )
    /* A forest category under property tax is just as unknown. */
    assert.equal(
      fieldOf(() => calculate([object('property', 'forest', 1_0000)])),
      'category'
    )
    const perSquareMetre = RATES.map((rate) =>
      rate.category === 'structure' ? { ...rate, unit: 'm2' as const } : rate
    )
    assert.equal(
      fieldOf(() => calculate([object('property', 'structure', 1_000_0000)], perSquareMetre)),
      'rates'
    )
    assert.equal(
      fieldOf(() => calculate([object('property', 'land_other', -1)])),
      'baseE4'
    )
  })

  test('large values stay exact', ({ assert }) => {
    /* A 987 654 321.00 zł wind farm at 2 %: 19 753 086.42 zł → 19 753 086 zł. */
    const result = calculate([object('property', 'structure', 987_654_321_0000)])
    assert.equal(result.lines[0].amountGr, 1_975_308_642)
    assert.equal(result.totalGr, 1_975_308_600)
  })

  test('scaled numbers are written and read back', ({ assert }) => {
    assert.equal(formatScaled(1_234_5600), '1\u00a0234,56')
    assert.equal(formatScaled(3_4567, 2), '3,4567')
    assert.equal(formatScaled(12_0000, 0), '12')
    assert.equal(parseScaled('1 234,56'), 1_234_5600)
    assert.equal(parseScaled('3.4567'), 3_4567)
    assert.isNull(parseScaled('1,23456'))
    assert.isNull(parseScaled('-1'))
  })
})

test.group('Assessment calculation / start of the obligation', () => {
  test('an object acquired on 1 January is taxed from February; one held before the year from January', ({
    assert,
  }) => {
    assert.equal(taxableMonths(2026, '2026-01-01', null), 11)
    assert.equal(taxableMonths(2026, '2025-12-31', null), 12)
    assert.equal(taxableMonths(2026, '2026-03-10', '2026-08-20'), 5)
  })
})
