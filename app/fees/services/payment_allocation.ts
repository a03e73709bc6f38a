import { splitPayment } from '#fees/services/payment_split'

/** Something the payer owes: a reminder cost or an unpaid part of an installment. */
export interface OpenItem {
  id: string
  kind: 'reminder_cost' | 'installment'
  /** The liability (decision) the installment belongs to. */
  liabilityId: string | null
  due: string
  principalGr: number
}

export interface Allocation {
  itemId: string
  principalGr: number
  interestGr: number
}

export interface AllocationResult {
  allocations: Allocation[]
  /** What is left after everything due is paid: credited to the next installment or refunded on request. */
  overpaymentGr: number
}

/**
 * Applies a payment to what the payer owes (Tax Ordinance art. 55, 62):
 * reminder costs first, then the liability the payer named in the transfer,
 * then the oldest; each installment with its late interest as of the payment
 * date, and a payment that does not cover both is shared between them in
 * proportion (art. 55 §2).
 */
export function allocatePayment(input: {
  paymentGr: number
  items: readonly OpenItem[]
  namedLiabilityId?: string | null
  /** Late interest of an item as of the payment date, already rounded and thresholded. */
  interestOf: (item: OpenItem) => number
}): AllocationResult {
  if (!Number.isInteger(input.paymentGr) || input.paymentGr < 0)
    throw new Error('payment must be a non-negative number of grosze')
  /* Due dates are YYYY-MM-DD: compared as strings, without a locale's collation (this runs at every payment of a bulk replay). */
  const byDue = (a: OpenItem, b: OpenItem) =>
    a.due < b.due ? -1 : a.due > b.due ? 1 : a.id.localeCompare(b.id)
  const open = input.items.filter((item) => item.principalGr > 0)
  const costs = open.filter((item) => item.kind === 'reminder_cost').sort(byDue)
  const installments = open.filter((item) => item.kind === 'installment').sort(byDue)
  const named = input.namedLiabilityId
    ? installments.filter((item) => item.liabilityId === input.namedLiabilityId)
    : []
  const rest = installments.filter((item) => !named.includes(item))

  let left = input.paymentGr
  const allocations: Allocation[] = []
  for (const cost of costs) {
    if (left === 0) break
    const paid = Math.min(left, cost.principalGr)
    allocations.push({ itemId: cost.id, principalGr: paid, interestGr: 0 })
    left -= paid
  }
  for (const item of [...named, ...rest]) {
    if (left === 0) break
    const split = splitPayment(left, item.principalGr, input.interestOf(item))
    allocations.push({
      itemId: item.id,
      principalGr: split.toArrearsGr,
      interestGr: split.toInterestGr,
    })
    left = split.leftoverGr
  }
  return { allocations, overpaymentGr: left }
}
