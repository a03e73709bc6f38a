import db from '@adonisjs/lucid/services/db'
import type { QueryClientContract } from '@adonisjs/lucid/types/database'
import { interestRates } from '#fees/services/interest_rates'
import {
  replayLedger,
  type InterestRules,
  type LedgerCharge,
  type LedgerInstallment,
  type LedgerPayment,
  type LedgerResult,
} from '#fees/services/ledger'

/* Only the decisions in force count: a replaced decision's installments live on in its correction. */
const LIVE_STATUSES = ['active']

export interface LedgerInputs {
  installments: LedgerInstallment[]
  charges: LedgerCharge[]
  payments: LedgerPayment[]
}

function emptyInputs(): LedgerInputs {
  return { installments: [], charges: [], payments: [] }
}

/**
 * Loads what the ledger replays, for some taxpayers or (ids = null) for all of
 * them, in three queries whatever their number.
 */
export async function loadLedgerInputs(
  taxpayerIds: number[] | null,
  client: QueryClientContract = db.connection()
): Promise<Map<number, LedgerInputs>> {
  const byTaxpayer = new Map<number, LedgerInputs>()
  const inputsOf = (taxpayerId: number) => {
    let inputs = byTaxpayer.get(taxpayerId)
    if (!inputs) byTaxpayer.set(taxpayerId, (inputs = emptyInputs()))
    return inputs
  }
  if (taxpayerIds !== null && taxpayerIds.length === 0) return byTaxpayer
  const scope = <Q extends { whereIn(column: string, values: number[]): Q }>(
    query: Q,
    column: string
  ) => (taxpayerIds === null ? query : query.whereIn(column, taxpayerIds))

  const [installments, charges, payments] = await Promise.all([
    scope(
      client
        .from('fees_installments as i')
        .join('fees_assessments as a', 'a.id', 'i.assessment_id')
        .whereIn('a.status', LIVE_STATUSES)
        .select(
          'i.id',
          'i.taxpayer_id',
          'i.assessment_id',
          'i.number',
          'i.due',
          'i.amount_gr',
          'i.exists_from'
        ),
      'i.taxpayer_id'
    ),
    scope(
      client
        .from('fees_ledger_entries')
        .select(
          'id',
          'taxpayer_id',
          'kind',
          'installment_id',
          'amount_gr',
          'booked_on',
          'description'
        ),
      'taxpayer_id'
    ),
    scope(
      client
        .from('fees_payments')
        .select('id', 'taxpayer_id', 'amount_gr', 'paid_on', 'named_assessment_id'),
      'taxpayer_id'
    ),
  ])
  for (const row of installments)
    inputsOf(Number(row.taxpayer_id)).installments.push({
      id: Number(row.id),
      assessmentId: Number(row.assessment_id),
      number: Number(row.number),
      due: row.due,
      amountGr: Number(row.amount_gr),
      existsFrom: row.exists_from,
    })
  for (const row of charges)
    inputsOf(Number(row.taxpayer_id)).charges.push({
      id: Number(row.id),
      kind: row.kind,
      installmentId: row.installment_id === null ? null : Number(row.installment_id),
      amountGr: Number(row.amount_gr),
      bookedOn: row.booked_on,
      description: row.description,
    })
  for (const row of payments)
    inputsOf(Number(row.taxpayer_id)).payments.push({
      id: Number(row.id),
      amountGr: Number(row.amount_gr),
      paidOn: row.paid_on,
      namedAssessmentId: row.named_assessment_id === null ? null : Number(row.named_assessment_id),
    })
  return byTaxpayer
}

export async function interestRulesAt(asOf: string): Promise<InterestRules> {
  const [rates, thresholdGr] = await Promise.all([
    interestRates.all(),
    interestRates.thresholdGrAt(asOf),
  ])
  return { rates, thresholdGr }
}

/** One taxpayer's ledger as of a date. */
export async function ledgerOf(
  taxpayerId: number,
  asOf: string,
  client?: QueryClientContract
): Promise<LedgerResult> {
  const [inputs, rules] = await Promise.all([
    loadLedgerInputs([taxpayerId], client),
    interestRulesAt(asOf),
  ])
  return replayLedger({ asOf, rules, ...(inputs.get(taxpayerId) ?? emptyInputs()) })
}

/** Every taxpayer's ledger as of a date (arrears lists, reminders, the daily summary). */
export async function allLedgers(asOf: string): Promise<Map<number, LedgerResult>> {
  const [inputs, rules] = await Promise.all([loadLedgerInputs(null), interestRulesAt(asOf)])
  const results = new Map<number, LedgerResult>()
  for (const [taxpayerId, taxpayerInputs] of inputs)
    results.set(taxpayerId, replayLedger({ asOf, rules, ...taxpayerInputs }))
  return results
}
