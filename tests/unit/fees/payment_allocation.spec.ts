import { test } from '@japa/runner'
import { allocatePayment, type OpenItem } from '#fees/services/payment_allocation'

const items: OpenItem[] = [
  {
    id: 'inst-2025-3',
    kind: 'installment',
    liabilityId: 'nakaz-2025',
    due: '2025-09-15',
    principalGr: 30_000,
  },
  {
    id: 'inst-2026-1',
    kind: 'installment',
    liabilityId: 'nakaz-2026',
    due: '2026-03-16',
    principalGr: 25_000,
  },
  {
    id: 'inst-2025-4',
    kind: 'installment',
    liabilityId: 'nakaz-2025',
    due: '2025-11-17',
    principalGr: 30_000,
  },
  {
    id: 'upomnienie-1',
    kind: 'reminder_cost',
    liabilityId: null,
    due: '2025-12-01',
    principalGr: 1_600,
  },
]
const noInterest = () => 0

test.group('Payment allocation', () => {
  test('reminder costs first, then the oldest installment', ({ assert }) => {
    const result = allocatePayment({ paymentGr: 40_000, items, interestOf: noInterest })
    assert.deepEqual(result.allocations, [
      { itemId: 'upomnienie-1', principalGr: 1_600, interestGr: 0 },
      { itemId: 'inst-2025-3', principalGr: 30_000, interestGr: 0 },
      { itemId: 'inst-2025-4', principalGr: 8_400, interestGr: 0 },
    ])
    assert.equal(result.overpaymentGr, 0)
  })

  test('the liability named in the transfer title comes before older ones', ({ assert }) => {
    const result = allocatePayment({
      paymentGr: 26_600,
      items,
      namedLiabilityId: 'nakaz-2026',
      interestOf: noInterest,
    })
    assert.deepEqual(
      result.allocations.map((a) => a.itemId),
      ['upomnienie-1', 'inst-2026-1']
    )
  })

  test('a payment short of arrears and interest is split between them (art. 55 §2)', ({
    assert,
  }) => {
    /* 300 zł arrears with 30 zł interest; 110 zł paid → 100 + 10. */
    const result = allocatePayment({
      paymentGr: 11_000,
      items: [items[0]],
      interestOf: () => 3_000,
    })
    assert.deepEqual(result.allocations, [
      { itemId: 'inst-2025-3', principalGr: 10_000, interestGr: 1_000 },
    ])
  })

  test('what is left after everything is an overpayment', ({ assert }) => {
    const result = allocatePayment({ paymentGr: 100_000, items, interestOf: noInterest })
    assert.equal(result.overpaymentGr, 100_000 - 1_600 - 30_000 - 25_000 - 30_000)
  })

  test('invariant: allocations plus overpayment always equal the payment', ({ assert }) => {
    let seed = 7
    const random = () => (seed = (seed * 48_271) % 2_147_483_647) / 2_147_483_647
    for (let run = 0; run < 500; run++) {
      const paymentGr = Math.floor(random() * 150_000)
      const result = allocatePayment({
        paymentGr,
        items,
        namedLiabilityId: random() < 0.5 ? 'nakaz-2026' : null,
        interestOf: (item) => Math.floor(random() * item.principalGr * 0.2),
      })
      const allocated = result.allocations.reduce((sum, a) => sum + a.principalGr + a.interestGr, 0)
      assert.equal(allocated + result.overpaymentGr, paymentGr)
      for (const a of result.allocations) {
        const item = items.find((i) => i.id === a.itemId)!
        assert.isAtMost(a.principalGr, item.principalGr)
      }
    }
  })
})
