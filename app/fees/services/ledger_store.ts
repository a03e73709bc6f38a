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

export interface AssessmentVersion {
  id: number
  status: string
  replacesId: number | null
  issuedOn: string
}

/**
 * The decisions in force on a day. A correction replaces a decision from the
 * day it was issued: before that day the replaced decision is the one owed (its
 * installments, interest and payments as they stood), from that day on the
 * correction is. Without a day, the decisions in force now (status 'active').
 * Cancelled decisions never count.
 */
export function liveAssessmentIds(versions: readonly AssessmentVersion[], asOf?: string | null) {
  if (!asOf) return new Set(versions.filter((v) => v.status === 'active').map((v) => v.id))
  const replacedOn = new Map<number, string>()
  for (const version of versions)
    if (version.replacesId !== null && version.status !== 'cancelled') {
      const earlier = replacedOn.get(version.replacesId)
      if (!earlier || version.issuedOn < earlier)
        replacedOn.set(version.replacesId, version.issuedOn)
    }
  return new Set(
    versions
      .filter((v) => v.status === 'active' || v.status === 'replaced')
      .filter((v) => v.replacesId === null || v.issuedOn <= asOf)
      .filter((v) => {
        const replaced = replacedOn.get(v.id)
        return replaced === undefined || replaced > asOf
      })
      .map((v) => v.id)
  )
}

/** The decision in force that stands for `id` (a replaced decision's latest live successor). */
function resolveNamed(
  id: number,
  versions: ReadonlyMap<number, AssessmentVersion>,
  successorOf: ReadonlyMap<number, number>,
  live: ReadonlySet<number>
): number {
  let current = id
  for (let hops = 0; hops < versions.size && !live.has(current); hops++) {
    const next = successorOf.get(current)
    if (next === undefined || (!live.has(next) && !successorOf.has(next))) break
    current = next
  }
  return current
}

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
 * them, in four queries whatever their number; with `asOf`, the decisions in
 * force on that day (see liveAssessmentIds), otherwise those in force now.
 */
export async function loadLedgerInputs(
  taxpayerIds: number[] | null,
  client: QueryClientContract = db.connection(),
  asOf?: string | null
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

  const [assessments, installments, charges, payments] = await Promise.all([
    scope(
      client
        .from('fees_assessments')
        .select('id', 'taxpayer_id', 'status', 'replaces_id', 'issued_on'),
      'taxpayer_id'
    ),
    scope(
      client
        .from('fees_installments')
        .select(
          'id',
          'taxpayer_id',
          'assessment_id',
          'number',
          'statutory_due',
          'due',
          'amount_gr',
          'exists_from'
        ),
      'taxpayer_id'
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
  const versions = new Map<number, AssessmentVersion>()
  const successorOf = new Map<number, number>()
  for (const row of assessments) {
    const version: AssessmentVersion = {
      id: Number(row.id),
      status: row.status,
      replacesId: row.replaces_id === null ? null : Number(row.replaces_id),
      issuedOn: row.issued_on,
    }
    versions.set(version.id, version)
    if (version.replacesId !== null && version.status !== 'cancelled')
      successorOf.set(version.replacesId, version.id)
  }
  const live = liveAssessmentIds([...versions.values()], asOf)
  /* A payer who named a decision later corrected meant the liability, now carried by the correction. */
  const named = (id: number | null) =>
    id === null ? null : resolveNamed(id, versions, successorOf, live)

  /*
   * A write-off booked on an installment of a decision later corrected stays
   * with the installment that took its place (same decision chain, same dates).
   */
  const slot = (assessmentId: number, row: { statutory_due: string; due: string }) =>
    `${assessmentId}|${row.statutory_due}|${row.due}`
  const installmentRows = new Map<number, (typeof installments)[number]>()
  const liveSlots = new Map<string, number>()
  for (const row of installments) {
    installmentRows.set(Number(row.id), row)
    if (live.has(Number(row.assessment_id)))
      liveSlots.set(slot(Number(row.assessment_id), row), Number(row.id))
  }
  const carriedOver = (installmentId: number | null) => {
    const row = installmentId === null ? undefined : installmentRows.get(installmentId)
    if (!row || live.has(Number(row.assessment_id))) return installmentId
    const successor = resolveNamed(Number(row.assessment_id), versions, successorOf, live)
    return liveSlots.get(slot(successor, row)) ?? installmentId
  }

  for (const row of installments) {
    if (!live.has(Number(row.assessment_id))) continue
    inputsOf(Number(row.taxpayer_id)).installments.push({
      id: Number(row.id),
      assessmentId: Number(row.assessment_id),
      number: Number(row.number),
      due: row.due,
      amountGr: Number(row.amount_gr),
      existsFrom: row.exists_from,
    })
  }
  for (const row of charges)
    inputsOf(Number(row.taxpayer_id)).charges.push({
      id: Number(row.id),
      kind: row.kind,
      installmentId: carriedOver(row.installment_id === null ? null : Number(row.installment_id)),
      amountGr: Number(row.amount_gr),
      bookedOn: row.booked_on,
      description: row.description,
    })
  for (const row of payments)
    inputsOf(Number(row.taxpayer_id)).payments.push({
      id: Number(row.id),
      amountGr: Number(row.amount_gr),
      paidOn: row.paid_on,
      namedAssessmentId: named(
        row.named_assessment_id === null ? null : Number(row.named_assessment_id)
      ),
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

/**
 * One taxpayer's ledger as of a date. Inside a transaction pass its client and
 * the rules read before it began: the rates are read outside the client, and
 * SQLite's single connection is then held by the transaction.
 */
export async function ledgerOf(
  taxpayerId: number,
  asOf: string,
  client?: QueryClientContract,
  rules?: InterestRules
): Promise<LedgerResult> {
  const [inputs, resolvedRules] = await Promise.all([
    loadLedgerInputs([taxpayerId], client, asOf),
    rules ?? interestRulesAt(asOf),
  ])
  return replayLedger({
    asOf,
    rules: resolvedRules,
    ...(inputs.get(taxpayerId) ?? emptyInputs()),
  })
}

/** Every taxpayer's ledger as of a date (arrears lists, reminders, the daily summary). */
export async function allLedgers(asOf: string): Promise<Map<number, LedgerResult>> {
  const [inputs, rules] = await Promise.all([
    loadLedgerInputs(null, undefined, asOf),
    interestRulesAt(asOf),
  ])
  const results = new Map<number, LedgerResult>()
  for (const [taxpayerId, taxpayerInputs] of inputs)
    results.set(taxpayerId, replayLedger({ asOf, rules, ...taxpayerInputs }))
  return results
}
