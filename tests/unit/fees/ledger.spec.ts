import { test } from '@japa/runner'
import { DEFAULT_INTEREST_RATES } from '#fees/services/default_interest_rates'
import { lateInterest } from '#fees/services/interest_calculator'
import {
  replayLedger,
  type InterestRules,
  type LedgerCharge,
  type LedgerInstallment,
  type LedgerPayment,
  type LedgerResult,
} from '#fees/services/ledger'
import { liveAssessmentIds } from '#fees/services/ledger_store'

/*
 * Every expected figure below is computed by hand (day by day, each day at the
 * rate in force, / 365) and written next to the assertion. Rates used:
 * 14.50 % from 2023-10-05, 13.50 % from 2025-05-08, 13.00 % from 2025-07-03,
 * 12.50 % from 2025-09-04, 12.00 % from 2025-10-09, 11.50 % from 2025-11-06,
 * 11.00 % from 2025-12-04, 10.50 % from 2026-03-05. Threshold 8.70 zł.
 */
const RULES: InterestRules = { rates: DEFAULT_INTEREST_RATES, thresholdGr: 870 }

let nextId = 1
function installment(
  amountGr: number,
  due: string,
  options: { assessmentId?: number; existsFrom?: string; number?: number } = {}
): LedgerInstallment {
  return {
    id: nextId++,
    assessmentId: options.assessmentId ?? 1,
    number: options.number ?? 1,
    due,
    amountGr,
    existsFrom: options.existsFrom ?? '2020-01-01',
  }
}
function payment(amountGr: number, paidOn: string, named: number | null = null): LedgerPayment {
  return { id: nextId++, amountGr, paidOn, namedAssessmentId: named }
}
function charge(
  kind: LedgerCharge['kind'],
  amountGr: number,
  bookedOn: string,
  installmentId: number | null = null
): LedgerCharge {
  return { id: nextId++, kind, installmentId, amountGr, bookedOn, description: kind }
}
function replay(
  asOf: string,
  installments: LedgerInstallment[],
  payments: LedgerPayment[] = [],
  charges: LedgerCharge[] = [],
  rules: InterestRules = RULES
) {
  return replayLedger({ asOf, installments, payments, charges, rules })
}
const allocationsOf = (result: LedgerResult, paymentId: number) =>
  result.allocations
    .filter((a) => a.paymentId === paymentId)
    .map((a) => [a.itemKind, a.itemId, a.principalGr, a.interestGr])

test.group('Ledger / interest on an unpaid installment', () => {
  test('across several rate changes', ({ assert }) => {
    /*
     * 10 000 zł due 2025-04-15, unpaid on 2025-12-31:
     *   04-16…05-07  22 d × 14.50 % = 319.0 %·d
     *   05-08…07-02  56 d × 13.50 % = 756.0
     *   07-03…09-03  63 d × 13.00 % = 819.0
     *   09-04…10-08  35 d × 12.50 % = 437.5
     *   10-09…11-05  28 d × 12.00 % = 336.0
     *   11-06…12-03  28 d × 11.50 % = 322.0
     *   12-04…12-31  28 d × 11.00 % = 308.0      Σ 3 297.5 %·d
     * 10 000 × 3 297.5 / 100 / 365 = 903.42 zł → 903 zł.
     */
    const item = installment(1_000_000, '2025-04-15')
    const result = replay('2025-12-31', [item])
    assert.equal(result.installments[0].interestGr, 90_300)
    assert.equal(result.totals.arrearsGr, 1_000_000)
    assert.equal(result.totals.toPayNowGr, 1_000_000 + 90_300)
    assert.equal(result.installments[0].status, 'overdue')
  })

  test('a due date on a rate-change day: interest starts the next day at the new rate', ({
    assert,
  }) => {
    /*
     * 10 000 zł due 2025-05-08 (13.50 % from that day). Interest runs from 05-09:
     * to 07-02: 55 d × 13.50 % → 10 000 × 0.135 × 55 / 365 = 203.42 zł → 203 zł;
     * one day more (07-03, 13.00 %): + 3.56 zł = 206.99 zł → 207 zł.
     */
    const item = installment(1_000_000, '2025-05-08')
    assert.equal(replay('2025-07-02', [item]).installments[0].interestGr, 20_300)
    assert.equal(replay('2025-07-03', [item]).installments[0].interestGr, 20_700)
    /* On the due date itself nothing is overdue yet. */
    const onTheDay = replay('2025-05-08', [item]).installments[0]
    assert.equal(onTheDay.interestGr, 0)
    assert.isFalse(onTheDay.overdue)
    assert.equal(onTheDay.status, 'open')
  })

  test('a leap year still counts 365 days a year', ({ assert }) => {
    /*
     * 10 000 zł due 2024-02-15, as of 2024-03-15: 29 days (16–29 February is 14, 1–15 March 15)
     * × 14.50 % / 365 → 115.21 zł → 115 zł. Paid in full a year later: 1 000 zł due 2023-12-31
     * paid 2024-12-31 = 366 days → 1 000 × 0.145 × 366 / 365 = 145.40 zł → 145 zł.
     */
    assert.equal(
      replay('2024-03-15', [installment(1_000_000, '2024-02-15')]).installments[0].interestGr,
      11_500
    )
    const item = installment(100_000, '2023-12-31')
    const pay = payment(114_500, '2024-12-31')
    const result = replay('2024-12-31', [item], [pay])
    assert.deepEqual(allocationsOf(result, pay.id), [['installment', item.id, 100_000, 14_500]])
    assert.equal(result.totals.creditGr, 0)
    assert.equal(result.installments[0].status, 'paid')
  })

  test('rounding from the exact value and the 8.70 zł threshold', ({ assert }) => {
    /*
     * 20 days at 12.50 % (2025-09-11 … 09-30): interest = amount × 1250 bp × 20 / (10 000 × 365).
     * 1 241.00 zł → exactly 8.50 zł → 9 zł, above 8.70 zł: charged.
     * 1 240.27 zł → exactly 8.495 zł → 8 zł (49.5 gr goes down, not first to 8.50 then up): waived.
     * 1 240.99 zł → 8.4999 zł → 8 zł: waived.
     */
    const charged = replay('2025-09-30', [installment(124_100, '2025-09-10')])
    assert.equal(charged.installments[0].interestGr, 900)
    const halfGrosz = replay('2025-09-30', [installment(124_027, '2025-09-10')])
    assert.equal(halfGrosz.installments[0].interestGr, 0)
    const below = replay('2025-09-30', [installment(124_099, '2025-09-10')])
    assert.equal(below.installments[0].interestGr, 0)
    /* Exactly at the threshold (a setting of 9.00 zł): 9 zł does not exceed it, not charged. */
    const atThreshold = replay('2025-09-30', [installment(124_100, '2025-09-10')], [], [], {
      ...RULES,
      thresholdGr: 900,
    })
    assert.equal(atThreshold.installments[0].interestGr, 0)
  })
})

test.group('Ledger / payments', () => {
  test('a partial payment is split per art. 55 §2, then a second payment pays the rest', ({
    assert,
  }) => {
    /*
     * 1 000 zł due 2024-03-15. On 2025-01-10 interest is 119.58 → 120 zł (301 d at 14.50 %).
     * Payment 560 zł < 1 120 zł: shared 1 000 : 120 → 500 zł arrears, 60 zł interest;
     * 500 zł arrears and 60 zł unpaid interest remain.
     * From 2025-01-11 the 500 zł bear interest: to 2025-03-10 is 59 days →
     * 500 × 0.145 × 59 / 365 = 11.72 zł → 12 zł (> 8.70 zł). Owed on 03-10: 500 + 60 + 12 = 572 zł.
     */
    const item = installment(100_000, '2024-03-15')
    const first = payment(56_000, '2025-01-10')
    const afterFirst = replay('2025-01-10', [item], [first])
    assert.deepEqual(allocationsOf(afterFirst, first.id), [['installment', item.id, 50_000, 6_000]])
    assert.equal(afterFirst.installments[0].outstandingGr, 50_000)
    /* Right after the payment only the unpaid 60 zł is owed: the new stretch has not begun. */
    assert.equal(afterFirst.installments[0].interestGr, 6_000)

    const onMarch10 = replay('2025-03-10', [item], [first])
    assert.equal(onMarch10.installments[0].interestGr, 6_000 + 1_200)
    const second = payment(57_200, '2025-03-10')
    const paid = replay('2025-03-10', [item], [first, second])
    assert.deepEqual(allocationsOf(paid, second.id), [['installment', item.id, 50_000, 7_200]])
    assert.equal(paid.installments[0].status, 'paid')
    assert.equal(paid.installments[0].paidInterestGr, 6_000 + 7_200)
    assert.equal(paid.totals.toPayNowGr, 0)
    assert.equal(paid.totals.creditGr, 0)
  })

  test('interest once charged stays owed when the next stretch is below the threshold', ({
    assert,
  }) => {
    /*
     * 1 000 zł due 2024-03-15, 120 zł interest on 2025-01-10. Payment 1 100 zł < 1 120 zł:
     * 1 100 × 1 000/1 120 = 982.14 zł and 1 100 × 120/1 120 = 117.86 zł (largest remainder:
     * 98 214 gr + 11 786 gr). Left: 17.86 zł arrears and 2.14 zł of charged interest.
     * On 2025-01-20 the new stretch is 17.86 × 0.145 × 10 / 365 = 0.07 zł → 0 zł (below 8.70),
     * but the 2.14 zł charged on 01-10 is still owed: 20.00 zł clears the installment.
     */
    const item = installment(100_000, '2024-03-15')
    const first = payment(110_000, '2025-01-10')
    const second = payment(2_000, '2025-01-20')
    const result = replay('2025-01-20', [item], [first, second])
    assert.deepEqual(allocationsOf(result, first.id), [['installment', item.id, 98_214, 11_786]])
    assert.deepEqual(allocationsOf(result, second.id), [['installment', item.id, 1_786, 214]])
    assert.equal(result.totals.creditGr, 0)
    assert.equal(result.installments[0].interestGr, 0)
  })

  test('interest left after the last grosz of principal is still paid before any credit', ({
    assert,
  }) => {
    /*
     * 100 zł due 2015-03-16, paid 2026-03-16: eleven years of interest (8 % … 10.50 %) come to
     * 113.91 zł → 114 zł, more than the principal. 213.99 zł < 214 zł is shared 100 : 114:
     * 99.9953 → 9 999 gr, 113.9947 → 11 399 gr, the spare grosz to the larger remainder
     * (0.53 > 0.47): principal 100.00 zł, interest 113.99 zł, 1 gr of interest left.
     * The next grosz paid settles it instead of becoming credit.
     */
    const item = installment(10_000, '2015-03-16')
    const first = payment(21_399, '2026-03-16')
    const second = payment(1, '2026-03-20')
    const result = replay('2026-03-20', [item], [first, second])
    assert.deepEqual(allocationsOf(result, first.id), [['installment', item.id, 10_000, 11_399]])
    assert.deepEqual(allocationsOf(result, second.id), [['installment', item.id, 0, 1]])
    assert.equal(result.totals.creditGr, 0)
    assert.equal(result.installments[0].interestGr, 0)
  })

  test('allocation order: reminder costs, then the named liability, then the oldest', ({
    assert,
  }) => {
    /*
     * Decision 1: 300 zł due 2025-03-17. Decision 2: 250 zł due 2026-03-16. Reminder cost
     * 16 zł booked 2025-12-01. Interest on the 300 zł as of 2026-01-10:
     *   03-18…05-07 51 d × 14.50 = 739.5; 05-08…07-02 56 × 13.50 = 756; 07-03…09-03 63 × 13 = 819;
     *   09-04…10-08 35 × 12.50 = 437.5; 10-09…11-05 28 × 12 = 336; 11-06…12-03 28 × 11.50 = 322;
     *   12-04…2026-01-10 38 × 11 = 418   Σ 3 828 %·d → 300 × 38.28 / 365 = 31.46 zł → 31 zł.
     */
    const old = installment(30_000, '2025-03-17', { assessmentId: 1 })
    const next = installment(25_000, '2026-03-16', { assessmentId: 2 })
    const cost = charge('reminder_cost', 1_600, '2025-12-01')

    /* Named decision 2: 16 zł to the cost, 250 zł to decision 2 (not yet due, no interest). */
    const named = payment(26_600, '2026-01-10', 2)
    const byName = replay('2026-01-10', [old, next], [named], [cost])
    assert.deepEqual(allocationsOf(byName, named.id), [
      ['reminder_cost', cost.id, 1_600, 0],
      ['installment', next.id, 25_000, 0],
    ])
    assert.equal(byName.installments.find((i) => i.id === old.id)!.outstandingGr, 30_000)

    /*
     * No name: 16 zł to the cost, the 250 zł left go to the oldest, short of 300 + 31 zł:
     * 250 × 300/331 = 226.586 → 22 658 gr (+1 by the larger remainder, 0.61 > 0.39) = 22 659 gr,
     * 250 × 31/331 = 23.414 → 2 341 gr.
     */
    const unnamed = payment(26_600, '2026-01-10')
    const oldest = replay('2026-01-10', [old, next], [unnamed], [cost])
    assert.deepEqual(allocationsOf(oldest, unnamed.id), [
      ['reminder_cost', cost.id, 1_600, 0],
      ['installment', old.id, 22_659, 2_341],
    ])
    assert.equal(oldest.reminderCosts[0].outstandingGr, 0)
  })

  test('two installments due the same day: the older one (lower id) is paid first', ({
    assert,
  }) => {
    /* Ids 9 and 10 compare as numbers, not as text ("i10" < "i9"). */
    const nine = { ...installment(10_000, '2026-03-16'), id: 9, assessmentId: 9 }
    const ten = { ...installment(10_000, '2026-03-16'), id: 10, assessmentId: 10 }
    const pay = { ...payment(10_000, '2026-03-01'), id: 1 }
    const result = replay('2026-03-01', [ten, nine], [pay])
    assert.deepEqual(allocationsOf(result, 1), [['installment', 9, 10_000, 0]])
  })

  test("an overpayment is credited to next year's installment when it appears", ({ assert }) => {
    /*
     * 2025: 100 zł due 2025-03-17, paid 150 zł on 2025-03-10 → 50 zł credit.
     * 2026 decision issued 2026-02-20: 80 zł due 2026-03-16 → the 50 zł pay it that day, 30 zł left.
     */
    const first = installment(10_000, '2025-03-17', { assessmentId: 1, existsFrom: '2025-02-20' })
    const second = installment(8_000, '2026-03-16', { assessmentId: 2, existsFrom: '2026-02-20' })
    const pay = payment(15_000, '2025-03-10')
    const before = replay('2026-01-01', [first, second], [pay])
    assert.equal(before.totals.creditGr, 5_000)
    assert.lengthOf(before.installments, 1)
    const after = replay('2026-02-20', [first, second], [pay])
    assert.equal(after.totals.creditGr, 0)
    assert.deepEqual(
      after.allocations.map((a) => [a.paymentId, a.itemId, a.allocatedOn, a.principalGr]),
      [
        [pay.id, first.id, '2025-03-10', 10_000],
        [pay.id, second.id, '2026-02-20', 5_000],
      ]
    )
    assert.equal(after.installments.find((i) => i.id === second.id)!.outstandingGr, 3_000)
    assert.equal(after.installments.find((i) => i.id === second.id)!.status, 'partly_paid')
  })

  test('a refund takes credit, never more than there is', ({ assert }) => {
    /* 100 zł owed, 150 zł paid: 50 zł credit; refund 30 zł → 20 zł left; a refund of 100 zł takes the 20 zł. */
    const item = installment(10_000, '2025-03-17')
    const pay = payment(15_000, '2025-03-10')
    const partial = replay('2025-04-01', [item], [pay], [charge('refund', 3_000, '2025-04-01')])
    assert.equal(partial.totals.refundedGr, 3_000)
    assert.equal(partial.totals.creditGr, 2_000)
    const tooMuch = replay(
      '2025-05-01',
      [item],
      [pay],
      [charge('refund', 3_000, '2025-04-01'), charge('refund', 10_000, '2025-05-01')]
    )
    assert.equal(tooMuch.totals.refundedGr, 5_000)
    assert.equal(tooMuch.totals.creditGr, 0)
  })

  test('a write-off takes the interest on the written-off part with it', ({ assert }) => {
    /*
     * 1 000 zł due 2024-03-15; 400 zł written off on 2025-01-10, when the exact interest was
     * 119.58 zł: 6/10 of it stays, 71.75 zł. Then 600 zł × 0.145 × 59 / 365 = 14.06 zł to
     * 2025-03-10: 85.81 zł → 86 zł.
     */
    const item = installment(100_000, '2024-03-15')
    const result = replay(
      '2025-03-10',
      [item],
      [],
      [charge('write_off', 40_000, '2025-01-10', item.id)]
    )
    const state = result.installments[0]
    assert.equal(state.writtenOffGr, 40_000)
    assert.equal(state.outstandingGr, 60_000)
    assert.equal(state.interestGr, 8_600)
    assert.equal(result.totals.writtenOffGr, 40_000)

    const whole = replay(
      '2025-03-10',
      [item],
      [],
      [charge('write_off', 100_000, '2025-01-10', item.id)]
    )
    assert.equal(whole.installments[0].status, 'written_off')
    assert.equal(whole.installments[0].interestGr, 0)
    assert.equal(whole.totals.toPayNowGr, 0)
  })

  test('same-day order: the installment appears, then costs, then write-offs, payments, refunds', ({
    assert,
  }) => {
    /* All on 2026-02-20: decision issued (300 zł), reminder cost 16 zł, payment 400 zł, refund 84 zł. */
    const pay = payment(40_000, '2026-02-20')
    const refund = charge('refund', 8_400, '2026-02-20')
    const cost = charge('reminder_cost', 1_600, '2026-02-20')
    const item = installment(30_000, '2026-03-16', { existsFrom: '2026-02-20' })
    /* Given in the "wrong" order on purpose. */
    const result = replayLedger({
      asOf: '2026-02-20',
      installments: [item],
      payments: [pay],
      charges: [refund, cost],
      rules: RULES,
    })
    assert.deepEqual(allocationsOf(result, pay.id), [
      ['reminder_cost', cost.id, 1_600, 0],
      ['installment', item.id, 30_000, 0],
    ])
    assert.equal(result.totals.refundedGr, 8_400)
    assert.equal(result.totals.creditGr, 0)
  })

  test('the as-of date cuts off later events', ({ assert }) => {
    const item = installment(50_000, '2026-03-16', { existsFrom: '2026-02-20' })
    const later = installment(50_000, '2026-05-15', { existsFrom: '2026-04-01' })
    const pay = payment(20_000, '2026-03-20')
    const cost = charge('reminder_cost', 1_600, '2026-03-25')
    assert.lengthOf(replay('2026-02-19', [item], [pay]).installments, 0)
    const before = replay('2026-03-19', [item, later], [pay], [cost])
    assert.lengthOf(before.installments, 1)
    assert.lengthOf(before.allocations, 0)
    assert.lengthOf(before.reminderCosts, 0)
    assert.equal(before.totals.arrearsGr, 50_000)
    const after = replay('2026-03-20', [item, later], [pay], [cost])
    assert.equal(after.installments[0].paidPrincipalGr, 20_000)
  })
})

test.group('Ledger / agrees with the interest calculator', () => {
  test('an unpaid installment bears what lateInterest computes for it', ({ assert }) => {
    /* The calculator page and the CLI use lateInterest; the ledger its own day-number path. */
    const random = prng(4_242)
    for (let run = 0; run < 300; run++) {
      const amountGr = 1 + Math.floor(random() * 5_000_000)
      const due = new Date(
        Date.UTC(2016 + Math.floor(random() * 10), 0, 1 + Math.floor(random() * 365))
      )
        .toISOString()
        .slice(0, 10)
      const asOf = new Date(
        Date.parse(`${due}T00:00:00Z`) + Math.floor(random() * 1_500) * 86_400_000
      )
        .toISOString()
        .slice(0, 10)
      const expected = lateInterest({
        amountGr,
        due,
        paid: asOf,
        rates: RULES.rates,
        thresholdGr: 870,
      })
      const state = replay(asOf, [installment(amountGr, due, { existsFrom: due })]).installments[0]
      assert.equal(state.interestGr, expected.interestGr, `${amountGr} gr due ${due} as of ${asOf}`)
    }
  })
})

test.group('Ledger / decisions in force on a day', () => {
  test('a correction replaces its decision from the day it is issued', ({ assert }) => {
    const versions = [
      { id: 1, status: 'replaced', replacesId: null, issuedOn: '2026-02-20' },
      { id: 2, status: 'replaced', replacesId: 1, issuedOn: '2026-06-10' },
      { id: 3, status: 'active', replacesId: 2, issuedOn: '2026-09-01' },
      { id: 4, status: 'active', replacesId: null, issuedOn: '2026-02-20' },
      { id: 5, status: 'cancelled', replacesId: null, issuedOn: '2026-02-20' },
    ]
    const live = (asOf?: string) => [...liveAssessmentIds(versions, asOf)].sort()
    assert.deepEqual(live(), [3, 4])
    assert.deepEqual(live('2026-06-09'), [1, 4])
    assert.deepEqual(live('2026-06-10'), [2, 4])
    assert.deepEqual(live('2026-12-31'), [3, 4])
  })
})

/** Park–Miller generator: the same 300+ ledgers on every run. */
function prng(seed: number) {
  let state = seed
  return () => (state = (state * 48_271) % 2_147_483_647) / 2_147_483_647
}

test.group('Ledger / invariants over random ledgers', () => {
  test('money is neither created nor lost, nothing is paid above its amount', ({ assert }) => {
    const random = prng(20_261_124)
    const pick = <T>(items: readonly T[]) => items[Math.floor(random() * items.length)]
    const day = (from: string, spanDays: number) => {
      const date = new Date(`${from}T00:00:00Z`)
      date.setUTCDate(date.getUTCDate() + Math.floor(random() * spanDays))
      return date.toISOString().slice(0, 10)
    }
    for (let run = 0; run < 320; run++) {
      const installments: LedgerInstallment[] = []
      for (let assessment = 1; assessment <= 1 + Math.floor(random() * 3); assessment++) {
        const year = pick([2023, 2024, 2025, 2026])
        for (let number = 1; number <= pick([1, 2, 4]); number++)
          installments.push(
            installment(1 + Math.floor(random() * 200_000), day(`${year}-03-01`, 280), {
              assessmentId: assessment,
              number,
              existsFrom: day(`${year}-01-01`, 60),
            })
          )
      }
      const payments = Array.from({ length: Math.floor(random() * 7) }, () =>
        payment(
          1 + Math.floor(random() * 250_000),
          day('2023-01-01', 1_400),
          random() < 0.3 ? pick(installments).assessmentId : null
        )
      )
      const charges: LedgerCharge[] = []
      for (let i = Math.floor(random() * 4); i > 0; i--) {
        const kind = pick(['reminder_cost', 'write_off', 'refund'] as const)
        charges.push(
          charge(
            kind,
            1 + Math.floor(random() * 60_000),
            day('2023-06-01', 1_200),
            kind === 'write_off' ? pick(installments).id : null
          )
        )
      }
      const asOf = day('2023-06-01', 1_300)
      const result = replay(asOf, installments, payments, charges)
      const context = `run ${run}`

      const paid = payments.filter((p) => p.paidOn <= asOf).reduce((s, p) => s + p.amountGr, 0)
      const allocated = result.allocations.reduce((s, a) => s + a.principalGr + a.interestGr, 0)
      assert.equal(allocated + result.totals.creditGr + result.totals.refundedGr, paid, context)
      for (const state of result.installments) {
        assert.isAtLeast(state.outstandingGr, 0, context)
        assert.isAtMost(state.paidPrincipalGr, state.amountGr, context)
        assert.equal(
          state.paidPrincipalGr + state.writtenOffGr + state.outstandingGr,
          state.amountGr,
          context
        )
        const principal = result.allocations
          .filter((a) => a.itemKind === 'installment' && a.itemId === state.id)
          .reduce((s, a) => s + a.principalGr, 0)
        assert.equal(principal, state.paidPrincipalGr, context)
        assert.isAtLeast(state.interestGr, 0, context)
      }
      for (const cost of result.reminderCosts) {
        assert.isAtLeast(cost.outstandingGr, 0, context)
        assert.isAtMost(cost.paidGr, cost.amountGr, context)
      }
      for (const a of result.allocations) {
        assert.isAtLeast(a.principalGr, 0, context)
        assert.isAtLeast(a.interestGr, 0, context)
        assert.isTrue(a.allocatedOn <= asOf, context)
      }
      /* Credit is left only when nothing is owed. */
      if (result.totals.creditGr > 0) {
        assert.equal(result.totals.outstandingGr, 0, context)
        assert.equal(result.totals.reminderCostsGr, 0, context)
      }
      assert.isAtLeast(result.totals.creditGr, 0, context)
    }
  })
})
