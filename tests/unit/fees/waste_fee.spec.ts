import { test } from '@japa/runner'
import {
  WasteFeeError,
  monthlyWasteFee,
  replacedWasteInstallments,
  wasteRateFor,
  wasteYear,
  type WasteDeclaration,
  type WasteRate,
} from '#fees/services/waste_fee'

/* 31,00 zł per resident and month, 2,00 zł less with a composter, ×3 without sorting, by the 15th. */
const residentsRate: WasteRate = {
  validFrom: '2026-01-01',
  method: 'residents',
  rateE2: 310_000,
  compostingDiscountE2: 20_000,
  nonSortingMultiplierPct: 300,
  schedule: 'monthly:15',
}

const declaration = (overrides: Partial<WasteDeclaration> = {}): WasteDeclaration => ({
  propertyAddress: 'Brzozowa 7, 12-345 Testowo',
  effectiveMonth: '2026-01',
  residents: 4,
  waterM3E2: null,
  areaM2E2: null,
  households: null,
  composting: false,
  sorting: true,
  ...overrides,
})

test.group('Waste fee / one month', () => {
  test('per resident: residents × rate', ({ assert }) => {
    assert.deepEqual(monthlyWasteFee(declaration(), residentsRate), {
      quantityE2: 400,
      unitRateE2: 310_000,
      amountGr: 12_400,
    })
  })

  test('composting lowers the rate per unit by the discount', ({ assert }) => {
    assert.equal(monthlyWasteFee(declaration({ composting: true }), residentsRate).amountGr, 11_600)
  })

  test('not sorting multiplies the rate and loses the composting discount', ({ assert }) => {
    assert.equal(monthlyWasteFee(declaration({ sorting: false }), residentsRate).amountGr, 37_200)
    assert.equal(
      monthlyWasteFee(declaration({ sorting: false, composting: true }), residentsRate).amountGr,
      37_200
    )
    const twoAndHalf = { ...residentsRate, nonSortingMultiplierPct: 250 }
    assert.equal(monthlyWasteFee(declaration({ sorting: false }), twoAndHalf).amountGr, 31_000)
  })

  test('per m³ of water: exact to the grosz, not rounded to full złoty', ({ assert }) => {
    const waterRate: WasteRate = { ...residentsRate, method: 'water', rateE2: 123_456 }
    /* 9,5 m³ × 12,3456 zł = 117,2832 zł → 117,28 zł */
    const fee = monthlyWasteFee(declaration({ residents: null, waterM3E2: 950 }), waterRate)
    assert.equal(fee.amountGr, 11_728)
    assert.notEqual(fee.amountGr % 100, 0)
  })

  test('per m² of the dwelling: half a grosz rounds up', ({ assert }) => {
    const areaRate: WasteRate = { ...residentsRate, method: 'area', rateE2: 4_500 }
    /* 84,3 m² × 0,45 zł = 37,935 zł → 37,94 zł */
    assert.equal(
      monthlyWasteFee(declaration({ residents: null, areaM2E2: 8_430 }), areaRate).amountGr,
      3_794
    )
  })

  test('per household: a flat rate', ({ assert }) => {
    const householdRate: WasteRate = { ...residentsRate, method: 'household', rateE2: 525_050 }
    assert.equal(
      monthlyWasteFee(declaration({ residents: null, households: 1 }), householdRate).amountGr,
      5_251
    )
  })

  test('a declaration without the quantity the method needs is refused, naming the field', ({
    assert,
  }) => {
    const waterRate: WasteRate = { ...residentsRate, method: 'water' }
    try {
      monthlyWasteFee(declaration(), waterRate)
      assert.fail('expected a WasteFeeError')
    } catch (error) {
      assert.instanceOf(error, WasteFeeError)
      assert.equal((error as WasteFeeError).field, 'waterM3')
    }
  })

  test('the rate in force is the latest valid from the month or earlier', ({ assert }) => {
    const later = { ...residentsRate, validFrom: '2026-07-01', rateE2: 350_000 }
    const rates = [later, residentsRate]
    assert.equal(wasteRateFor(rates, '2026-06'), residentsRate)
    assert.equal(wasteRateFor(rates, '2026-07'), later)
    assert.isNull(wasteRateFor(rates, '2025-12'))
  })
})

test.group('Waste fee / a year', () => {
  test('monthly installments from the declaration month, by the 15th, shifted to working days', ({
    assert,
  }) => {
    const year = wasteYear({
      year: 2026,
      declarations: [declaration({ effectiveMonth: '2026-04' })],
      rates: [residentsRate],
    })
    assert.lengthOf(year.installments, 9)
    assert.equal(year.installments[0].statutoryDue, '2026-04-15')
    assert.isTrue(year.installments.every((installment) => installment.amountGr === 12_400))
    /* 15 August 2026 is a Saturday and a holiday, 15 November a Sunday. */
    const august = year.installments.find((i) => i.statutoryDue === '2026-08-15')!
    const november = year.installments.find((i) => i.statutoryDue === '2026-11-15')!
    assert.equal(august.due, '2026-08-17')
    assert.equal(november.due, '2026-11-16')
    assert.equal(year.totalGr, 9 * 12_400)
    assert.lengthOf(year.lines, 1)
    assert.include(year.lines[0].description, 'kwiecień–grudzień 2026 (9 mies.)')
    assert.equal(year.lines[0].amountGr, 9 * 12_400)
  })

  test('a new declaration takes effect from its month; earlier months keep the old amount', ({
    assert,
  }) => {
    const year = wasteYear({
      year: 2026,
      declarations: [
        declaration({ effectiveMonth: '2026-06', residents: 2, id: 2 }),
        declaration({ effectiveMonth: '2026-01', id: 1 }),
      ],
      rates: [residentsRate],
    })
    assert.deepEqual(
      year.installments.map((installment) => installment.amountGr),
      [...Array(5).fill(12_400), ...Array(7).fill(6_200)]
    )
    assert.lengthOf(year.lines, 2)
    assert.equal(year.totalGr, 5 * 12_400 + 7 * 6_200)
  })

  test('a rate change in the middle of the year applies from its month', ({ assert }) => {
    const july = { ...residentsRate, validFrom: '2026-07-01', rateE2: 350_000 }
    const year = wasteYear({
      year: 2026,
      declarations: [declaration()],
      rates: [residentsRate, july],
    })
    assert.deepEqual(
      year.lines.map((line) => [line.rateE4, line.amountGr]),
      [
        [310_000, 6 * 12_400],
        [350_000, 6 * 14_000],
      ]
    )
    assert.equal(year.installments[5].amountGr, 12_400)
    assert.equal(year.installments[6].amountGr, 14_000)
  })

  test('quarterly: the quarter’s months summed, due on the day of its last month', ({ assert }) => {
    const quarterly = { ...residentsRate, schedule: 'quarterly:20' }
    const year = wasteYear({
      year: 2026,
      declarations: [declaration({ effectiveMonth: '2026-02' })],
      rates: [quarterly],
    })
    assert.deepEqual(
      year.installments.map((installment) => [installment.statutoryDue, installment.amountGr]),
      [
        ['2026-03-20', 2 * 12_400],
        ['2026-06-20', 3 * 12_400],
        ['2026-09-20', 3 * 12_400],
        ['2026-12-20', 3 * 12_400],
      ]
    )
    /* 20 June 2026 is a Saturday. */
    assert.equal(year.installments[1].due, '2026-06-22')
  })

  test('two properties of one owner are summed per due date', ({ assert }) => {
    const year = wasteYear({
      year: 2026,
      declarations: [
        declaration(),
        declaration({
          propertyAddress: 'Leśna 2, Testowo',
          residents: 1,
          effectiveMonth: '2026-12',
        }),
      ],
      rates: [residentsRate],
    })
    assert.equal(year.installments[11].amountGr, 12_400 + 3_100)
    assert.lengthOf(year.lines, 2)
  })

  test('a month without any rate is refused', ({ assert }) => {
    assert.throws(
      () =>
        wasteYear({
          year: 2025,
          declarations: [declaration({ effectiveMonth: '2025-11' })],
          rates: [residentsRate],
        }),
      /Brak stawki opłaty za odpady na listopad 2025/
    )
  })

  test('replacing: installments before the new declaration stay, later ones are recalculated', ({
    assert,
  }) => {
    const before = wasteYear({ year: 2026, declarations: [declaration()], rates: [residentsRate] })
    const after = wasteYear({
      year: 2026,
      declarations: [
        declaration(),
        declaration({ effectiveMonth: '2026-09', residents: 5, id: 9 }),
      ],
      rates: [residentsRate],
    })
    const previous = before.installments.map((installment) => ({
      ...installment,
      existsFrom: '2026-01-10',
    }))
    previous[0].amountGr = 12_399
    const result = replacedWasteInstallments({
      previous,
      calculated: after.installments,
      effectiveFrom: '2026-09-01',
      issuedOn: '2026-09-03',
    })
    assert.lengthOf(result, 12)
    assert.equal(result[0].amountGr, 12_399, 'kept as it was, not recalculated')
    assert.equal(result[7].existsFrom, '2026-01-10')
    assert.equal(result[8].amountGr, 15_500)
    assert.equal(result[8].existsFrom, '2026-09-03')
    assert.deepEqual(
      result.map((installment) => installment.number),
      Array.from({ length: 12 }, (_, index) => index + 1)
    )
  })
})
