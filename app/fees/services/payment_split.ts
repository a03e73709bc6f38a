import { splitProportionally } from '#core/services/money'

export interface PaymentSplit {
  toArrearsGr: number
  toInterestGr: number
  leftoverGr: number
}

/**
 * Tax Ordinance art. 55 §2: a payment that does not cover arrears together
 * with the interest due on the payment date is shared between them in the
 * proportion in which they stand to each other; a payment that covers both
 * pays both and leaves the rest over.
 */
export function splitPayment(
  paymentGr: number,
  arrearsGr: number,
  interestGr: number
): PaymentSplit {
  if (paymentGr >= arrearsGr + interestGr) {
    return {
      toArrearsGr: arrearsGr,
      toInterestGr: interestGr,
      leftoverGr: paymentGr - arrearsGr - interestGr,
    }
  }
  const [toArrearsGr, toInterestGr] = splitProportionally(paymentGr, [arrearsGr, interestGr])
  return { toArrearsGr, toInterestGr, leftoverGr: 0 }
}
