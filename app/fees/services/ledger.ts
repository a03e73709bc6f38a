import { addDays, daysBetween } from '#core/services/calendar'
import { InterestInputError, type InterestRatePeriod } from '#fees/services/interest_calculator'
import { allocatePayment, type OpenItem } from '#fees/services/payment_allocation'

/*
 * The taxpayer's ledger (karta kontowa) as a pure replay of what was booked:
 * installments appear when their decision is issued, payments are allocated on
 * the day they were paid (reminder costs first, then the liability the payer
 * named, then the oldest; each overdue installment with its interest as of that
 * day, split in proportion when the payment does not cover both — Tax
 * Ordinance art. 55), what is left over is a credit applied to the next
 * installment that appears or refunded on request. Every figure a clerk or a
 * resident sees comes from this one function, so the two views cannot differ.
 */

export interface LedgerInstallment {
  id: number
  assessmentId: number
  number: number
  due: string
  amountGr: number
  /** The day the installment became owed (issue of its decision). */
  existsFrom: string
}

export interface LedgerCharge {
  id: number
  kind: 'reminder_cost' | 'write_off' | 'refund'
  installmentId: number | null
  amountGr: number
  bookedOn: string
  description: string
}

export interface LedgerPayment {
  id: number
  amountGr: number
  paidOn: string
  namedAssessmentId: number | null
}

export interface InterestRules {
  rates: readonly InterestRatePeriod[]
  thresholdGr: number
}

export interface LedgerAllocation {
  paymentId: number
  /** 'installment' or 'reminder_cost' */
  itemKind: OpenItem['kind']
  itemId: number
  allocatedOn: string
  principalGr: number
  interestGr: number
}

export type InstallmentStatus = 'paid' | 'partly_paid' | 'overdue' | 'open' | 'written_off'

export interface InstallmentState {
  id: number
  assessmentId: number
  number: number
  due: string
  amountGr: number
  paidPrincipalGr: number
  paidInterestGr: number
  writtenOffGr: number
  outstandingGr: number
  /** Interest due on the outstanding part as of the statement date: full złoty, 0 up to the threshold. */
  interestGr: number
  overdue: boolean
  status: InstallmentStatus
  lastPaidOn: string | null
}

export interface ReminderCostState {
  id: number
  bookedOn: string
  description: string
  amountGr: number
  paidGr: number
  outstandingGr: number
}

export interface LedgerTotals {
  chargedGr: number
  paidPrincipalGr: number
  paidInterestGr: number
  writtenOffGr: number
  /** Everything still owed, due or not. */
  outstandingGr: number
  /** Owed and past its due date. */
  arrearsGr: number
  interestGr: number
  reminderCostsGr: number
  /** Overpayment not yet used: credited to the next installment or refunded on request. */
  creditGr: number
  refundedGr: number
  /** What pays everything due today: arrears, interest and reminder costs. */
  toPayNowGr: number
}

export interface LedgerResult {
  asOf: string
  installments: InstallmentState[]
  reminderCosts: ReminderCostState[]
  allocations: LedgerAllocation[]
  totals: LedgerTotals
}

interface LiveInstallment {
  source: LedgerInstallment
  /** Its OpenItem id, built once (allocation runs at every payment). */
  key: string
  principalGr: number
  /** Interest already charged at an earlier payment and not paid: exact grosze, owed as it is. */
  carryGr: number
  /** Interest accrued before `accrualFrom` but not yet charged (kept over a write-off), × INTEREST_SCALE. */
  pendingScaled: bigint
  /** Interest accrues from the day after this date. */
  accrualFrom: string
  paidPrincipalGr: number
  paidInterestGr: number
  writtenOffGr: number
  lastPaidOn: string | null
}

interface LiveCharge {
  source: LedgerCharge
  /** Its OpenItem id, built once. */
  key: string
  outstandingGr: number
}

interface CreditChunk {
  paymentId: number
  amountGr: number
}

const EVENT_ORDER = { appear: 0, cost: 1, write_off: 2, payment: 3, refund: 4 } as const

type LedgerEvent =
  | { type: 'appear'; date: string; installment: LedgerInstallment }
  | { type: 'cost'; date: string; charge: LedgerCharge }
  | { type: 'write_off'; date: string; charge: LedgerCharge }
  | { type: 'refund'; date: string; charge: LedgerCharge }
  | { type: 'payment'; date: string; payment: LedgerPayment }

/* Interest in grosze × 3 650 000 (basis points × 365 days) is an integer: no float reaches a rounding. */
const INTEREST_SCALE = 3_650_000n

/*
 * The replay asks for interest thousands of times per second when every
 * taxpayer's balance is recomputed: days are numbered once per date and the
 * rate table is turned into day numbers once per table.
 */
const dayNumbers = new Map<string, number>()
function dayNumber(date: string): number {
  let day = dayNumbers.get(date)
  if (day === undefined) {
    if (dayNumbers.size > 100_000) dayNumbers.clear()
    day = daysBetween('2000-01-01', date)
    dayNumbers.set(date, day)
  }
  return day
}

interface RateTable {
  firstFrom: string | null
  starts: number[]
  bps: number[]
}
const rateTables = new WeakMap<readonly InterestRatePeriod[], RateTable>()
function rateTable(rates: readonly InterestRatePeriod[]): RateTable {
  let table = rateTables.get(rates)
  if (!table) {
    const sorted = [...rates].sort((a, b) => a.from.localeCompare(b.from))
    table = {
      firstFrom: sorted[0]?.from ?? null,
      starts: sorted.map((rate) => dayNumber(rate.from)),
      bps: sorted.map((rate) => rate.standardBp),
    }
    rateTables.set(rates, table)
  }
  return table
}

/* YYYY-MM-DD strings order as dates; a plain comparison avoids a locale's collation in the hot loops. */
function compareDates(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0
}

/**
 * Interest on an amount from the day after `from` up to and including `to`,
 * × INTEREST_SCALE: each day at the standard rate in force that day (the same
 * rule as lateInterest, which the calculator page and CLI use).
 */
function accruedScaled(amountGr: number, from: string, to: string, rules: InterestRules): bigint {
  if (amountGr <= 0 || to <= from) return 0n
  const { firstFrom, starts, bps } = rateTable(rules.rates)
  const first = dayNumber(from) + 1
  const last = dayNumber(to)
  if (firstFrom === null || starts[0] > first)
    throw new InterestInputError(
      `no interest rate is known for ${addDays(from, 1)} (the rate table starts ${firstFrom ?? 'nowhere'})`
    )
  let bpDays = 0
  for (let i = 0; i < starts.length; i++) {
    const start = Math.max(starts[i], first)
    const end = Math.min(i + 1 < starts.length ? starts[i + 1] - 1 : last, last)
    if (start <= end) bpDays += bps[i] * (end - start + 1)
  }
  return BigInt(amountGr) * BigInt(bpDays)
}

/**
 * Interest charged for one stretch of delay (up to a payment or the statement
 * date): rounded to full złoty (49 gr down, 50 gr up, from the exact value, not
 * a grosz-rounded one) and not charged at all up to the threshold.
 */
function chargedInterest(scaled: bigint, rules: InterestRules): number {
  const zloty = (scaled + 50n * INTEREST_SCALE) / (100n * INTEREST_SCALE)
  const rounded = Number(zloty) * 100
  return rounded > rules.thresholdGr ? rounded : 0
}

/** Interest accrued on an installment since its last payment (or its due date), × INTEREST_SCALE. */
function openStretch(item: LiveInstallment, date: string, rules: InterestRules): bigint {
  const from = item.accrualFrom > item.source.due ? item.accrualFrom : item.source.due
  return item.pendingScaled + accruedScaled(item.principalGr, from, date, rules)
}

/**
 * Interest owed on an installment on a day: what an earlier payment left unpaid
 * (already charged, owed as it is) plus the stretch since then, rounded and
 * thresholded on its own — the threshold applies at each payment, and interest
 * once charged is not waived later because the rest of it became small.
 */
function interestDue(item: LiveInstallment, date: string, rules: InterestRules): number {
  return item.carryGr + chargedInterest(openStretch(item, date, rules), rules)
}

export function replayLedger(input: {
  asOf: string
  installments: readonly LedgerInstallment[]
  charges: readonly LedgerCharge[]
  payments: readonly LedgerPayment[]
  rules: InterestRules
}): LedgerResult {
  const { asOf, rules } = input
  const live = new Map<number, LiveInstallment>()
  const costs = new Map<number, LiveCharge>()
  const allocations: LedgerAllocation[] = []
  let credit: CreditChunk[] = []
  let refundedGr = 0

  const events: LedgerEvent[] = []
  for (const installment of input.installments)
    events.push({ type: 'appear', date: installment.existsFrom, installment })
  for (const charge of input.charges) {
    if (charge.kind === 'reminder_cost')
      events.push({ type: 'cost', date: charge.bookedOn, charge })
    else events.push({ type: charge.kind, date: charge.bookedOn, charge })
  }
  for (const payment of input.payments)
    events.push({ type: 'payment', date: payment.paidOn, payment })
  const idOf = (event: LedgerEvent) =>
    event.type === 'appear'
      ? event.installment.id
      : event.type === 'payment'
        ? event.payment.id
        : event.charge.id
  events.sort(
    (a, b) =>
      compareDates(a.date, b.date) || EVENT_ORDER[a.type] - EVENT_ORDER[b.type] || idOf(a) - idOf(b)
  )

  const openItems = (): OpenItem[] => {
    const items: OpenItem[] = []
    for (const cost of costs.values())
      if (cost.outstandingGr > 0)
        items.push({
          id: cost.key,
          kind: 'reminder_cost',
          liabilityId: null,
          due: cost.source.bookedOn,
          principalGr: cost.outstandingGr,
        })
    for (const item of live.values())
      if (item.principalGr > 0)
        items.push({
          id: item.key,
          kind: 'installment',
          liabilityId: String(item.source.assessmentId),
          due: item.source.due,
          principalGr: item.principalGr,
        })
    return items
  }

  /** Applies money of one payment on a day; returns what is left over. */
  const spend = (paymentId: number, amountGr: number, date: string, named: number | null) => {
    const result = allocatePayment({
      paymentGr: amountGr,
      items: openItems(),
      namedLiabilityId: named === null ? null : String(named),
      interestOf: (item) => {
        const installment = live.get(Number(item.id.slice(1)))
        return installment ? interestDue(installment, date, rules) : 0
      },
    })
    for (const allocation of result.allocations) {
      const itemId = Number(allocation.itemId.slice(1))
      if (allocation.itemId.startsWith('c')) {
        costs.get(itemId)!.outstandingGr -= allocation.principalGr
        allocations.push({
          paymentId,
          itemKind: 'reminder_cost',
          itemId,
          allocatedOn: date,
          principalGr: allocation.principalGr,
          interestGr: 0,
        })
        continue
      }
      const item = live.get(itemId)!
      const owedInterest = interestDue(item, date, rules)
      item.principalGr -= allocation.principalGr
      item.paidPrincipalGr += allocation.principalGr
      item.paidInterestGr += allocation.interestGr
      item.carryGr = Math.max(0, owedInterest - allocation.interestGr)
      item.pendingScaled = 0n
      if (date > item.accrualFrom) item.accrualFrom = date
      item.lastPaidOn = date
      allocations.push({
        paymentId,
        itemKind: 'installment',
        itemId,
        allocatedOn: date,
        principalGr: allocation.principalGr,
        interestGr: allocation.interestGr,
      })
    }
    /*
     * A proportional split can pay the last grosz of principal and leave some
     * interest (when the interest outweighs the principal); such interest is
     * still owed and comes before any credit.
     */
    let left = result.overpaymentGr
    if (left === 0) return left
    const interestOnly = [...live.values()]
      .filter((item) => item.principalGr === 0 && item.carryGr > 0)
      .sort((a, b) => compareDates(a.source.due, b.source.due) || a.source.id - b.source.id)
    for (const item of interestOnly) {
      if (left === 0) break
      const paid = Math.min(left, item.carryGr)
      item.carryGr -= paid
      item.paidInterestGr += paid
      left -= paid
      allocations.push({
        paymentId,
        itemKind: 'installment',
        itemId: item.source.id,
        allocatedOn: date,
        principalGr: 0,
        interestGr: paid,
      })
    }
    return left
  }

  const applyCredit = (date: string) => {
    if (credit.length === 0) return
    const remaining: CreditChunk[] = []
    for (const chunk of credit) {
      const left = spend(chunk.paymentId, chunk.amountGr, date, null)
      if (left > 0) remaining.push({ paymentId: chunk.paymentId, amountGr: left })
    }
    credit = remaining
  }

  for (const event of events) {
    if (event.date > asOf) break
    switch (event.type) {
      case 'appear': {
        const source = event.installment
        live.set(source.id, {
          source,
          key: `i${String(source.id).padStart(12, '0')}`,
          principalGr: source.amountGr,
          carryGr: 0,
          pendingScaled: 0n,
          accrualFrom: source.due,
          paidPrincipalGr: 0,
          paidInterestGr: 0,
          writtenOffGr: 0,
          lastPaidOn: null,
        })
        applyCredit(event.date)
        break
      }
      case 'cost':
        costs.set(event.charge.id, {
          source: event.charge,
          key: `c${String(event.charge.id).padStart(12, '0')}`,
          outstandingGr: event.charge.amountGr,
        })
        applyCredit(event.date)
        break
      case 'write_off': {
        const item = event.charge.installmentId ? live.get(event.charge.installmentId) : undefined
        if (!item || item.principalGr === 0) break
        const amount = Math.min(item.principalGr, event.charge.amountGr)
        /*
         * Writing off arrears writes off the interest on them in the same
         * proportion; the rest keeps accruing.
         */
        const keep = item.principalGr - amount
        const stretch = openStretch(item, event.date, rules)
        item.pendingScaled = (stretch * BigInt(keep)) / BigInt(item.principalGr)
        item.carryGr = Math.round((item.carryGr * keep) / item.principalGr)
        if (event.date > item.accrualFrom) item.accrualFrom = event.date
        item.principalGr -= amount
        item.writtenOffGr += amount
        break
      }
      case 'payment': {
        const left = spend(
          event.payment.id,
          event.payment.amountGr,
          event.date,
          event.payment.namedAssessmentId
        )
        if (left > 0) credit.push({ paymentId: event.payment.id, amountGr: left })
        break
      }
      case 'refund': {
        let toRefund = event.charge.amountGr
        const remaining: CreditChunk[] = []
        for (const chunk of credit) {
          const used = Math.min(chunk.amountGr, toRefund)
          toRefund -= used
          refundedGr += used
          if (chunk.amountGr > used) remaining.push({ ...chunk, amountGr: chunk.amountGr - used })
        }
        credit = remaining
        break
      }
    }
  }

  const installments: InstallmentState[] = [...live.values()]
    .sort((a, b) => compareDates(a.source.due, b.source.due) || a.source.id - b.source.id)
    .map((item) => {
      const overdue = item.principalGr > 0 && item.source.due < asOf
      const interestGr = interestDue(item, asOf, rules)
      let status: InstallmentStatus
      if (item.principalGr === 0)
        status = item.writtenOffGr > 0 && item.paidPrincipalGr === 0 ? 'written_off' : 'paid'
      else if (overdue) status = 'overdue'
      else if (item.paidPrincipalGr > 0) status = 'partly_paid'
      else status = 'open'
      return {
        id: item.source.id,
        assessmentId: item.source.assessmentId,
        number: item.source.number,
        due: item.source.due,
        amountGr: item.source.amountGr,
        paidPrincipalGr: item.paidPrincipalGr,
        paidInterestGr: item.paidInterestGr,
        writtenOffGr: item.writtenOffGr,
        outstandingGr: item.principalGr,
        interestGr,
        overdue,
        status,
        lastPaidOn: item.lastPaidOn,
      }
    })

  const reminderCosts: ReminderCostState[] = [...costs.values()].map((cost) => ({
    id: cost.source.id,
    bookedOn: cost.source.bookedOn,
    description: cost.source.description,
    amountGr: cost.source.amountGr,
    paidGr: cost.source.amountGr - cost.outstandingGr,
    outstandingGr: cost.outstandingGr,
  }))

  const sum = <T>(rows: T[], pick: (row: T) => number) =>
    rows.reduce((acc, row) => acc + pick(row), 0)
  const arrearsGr = sum(installments, (row) => (row.overdue ? row.outstandingGr : 0))
  const interestGr = sum(installments, (row) => row.interestGr)
  const reminderCostsGr = sum(reminderCosts, (row) => row.outstandingGr)
  return {
    asOf,
    installments,
    reminderCosts,
    allocations,
    totals: {
      chargedGr: sum(installments, (row) => row.amountGr),
      paidPrincipalGr: sum(installments, (row) => row.paidPrincipalGr),
      paidInterestGr: sum(installments, (row) => row.paidInterestGr),
      writtenOffGr: sum(installments, (row) => row.writtenOffGr),
      outstandingGr: sum(installments, (row) => row.outstandingGr),
      arrearsGr,
      interestGr,
      reminderCostsGr,
      creditGr: sum(credit, (chunk) => chunk.amountGr),
      refundedGr,
      toPayNowGr: arrearsGr + interestGr + reminderCostsGr,
    },
  }
}
