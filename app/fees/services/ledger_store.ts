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

/* Rows as the driver returns them: only the columns each query names. */
type Row = Record<string, any>

/** The rows a ledger is replayed from (see ledgerInputsFromRows). */
export interface LedgerRows {
  assessments: Row[]
  installments: Row[]
  charges: Row[]
  payments: Row[]
}

const LEDGER_COLUMNS = {
  fees_assessments: 'id, taxpayer_id, status, replaces_id, issued_on',
  fees_installments:
    'id, taxpayer_id, assessment_id, number, statutory_due, due, amount_gr, exists_from',
  fees_ledger_entries: 'id, taxpayer_id, kind, installment_id, amount_gr, booked_on, description',
  fees_payments: 'id, taxpayer_id, amount_gr, paid_on, named_assessment_id',
} as const

/**
 * Which taxpayers' rows to read: some ids, an id range (bulk recomputation in
 * slices), or all (null).
 */
export type LedgerScope = number[] | { fromId: number; toId: number } | null

/**
 * Reads the ledger rows of some taxpayers in four queries whatever their
 * number, with the few columns the replay needs. `wholeRows` reads every
 * column of the decisions and payments, for a statement that shows them.
 */
export async function loadLedgerRows(
  scope: LedgerScope,
  client: QueryClientContract = db.connection(),
  wholeRows = false
): Promise<LedgerRows> {
  if (Array.isArray(scope) && scope.length === 0)
    return { assessments: [], installments: [], charges: [], payments: [] }
  /* Raw SQL: the query builder's compilation showed in profiles, and these queries are fixed. */
  let where = ''
  let bindings: number[] = []
  if (Array.isArray(scope)) {
    where = ` where taxpayer_id in (${scope.map(() => '?').join(', ')})`
    bindings = scope
  } else if (scope) {
    where = ' where taxpayer_id between ? and ?'
    bindings = [scope.fromId, scope.toId]
  }
  const read = async (table: keyof typeof LEDGER_COLUMNS, whole = false): Promise<Row[]> => {
    const result = await client.rawQuery(
      `select ${whole ? '*' : LEDGER_COLUMNS[table]} from ${table}${where}`,
      bindings
    )
    /* SQLite's driver returns the rows, PostgreSQL's a result holding them. */
    return Array.isArray(result) ? result : result.rows
  }
  /*
   * SQLite's driver builds a JS object per row, property by property, and for
   * a slice of the bulk recomputation that was the largest cost in profiles:
   * the two big tables then come as one packed text each (integers and
   * YYYY-MM-DD dates only, so ',' and ';' cannot occur inside a field).
   */
  const pack = !Array.isArray(scope) && !wholeRows && client.dialect.name !== 'postgres'
  const packed = (table: 'fees_installments' | 'fees_payments', whole = false) =>
    pack ? readPacked(client, table, where, bindings) : read(table, whole)
  const [assessments, installments, charges, payments] = await Promise.all([
    read('fees_assessments', wholeRows),
    packed('fees_installments'),
    read('fees_ledger_entries'),
    packed('fees_payments', wholeRows),
  ])
  return { assessments, installments, charges, payments }
}

async function readPacked(
  client: QueryClientContract,
  table: 'fees_installments' | 'fees_payments',
  where: string,
  bindings: number[]
): Promise<Row[]> {
  /* The columns of LEDGER_COLUMNS, in that order; a missing named decision is an empty field. */
  const fields =
    table === 'fees_installments'
      ? "id || ',' || taxpayer_id || ',' || assessment_id || ',' || number || ',' || statutory_due || ',' || due || ',' || amount_gr || ',' || exists_from"
      : "id || ',' || taxpayer_id || ',' || amount_gr || ',' || paid_on || ',' || coalesce(named_assessment_id, '')"
  const [result] = await client.rawQuery(
    `select group_concat(${fields}, ';') as packed from ${table}${where}`,
    bindings
  )
  const text: string | null = result?.packed ?? null
  if (!text) return []
  const rows: Row[] = []
  for (const record of text.split(';')) {
    const f = record.split(',')
    rows.push(
      table === 'fees_installments'
        ? {
            id: Number(f[0]),
            taxpayer_id: Number(f[1]),
            assessment_id: Number(f[2]),
            number: Number(f[3]),
            statutory_due: f[4],
            due: f[5],
            amount_gr: Number(f[6]),
            exists_from: f[7],
          }
        : {
            id: Number(f[0]),
            taxpayer_id: Number(f[1]),
            amount_gr: Number(f[2]),
            paid_on: f[3],
            named_assessment_id: f[4] === '' ? null : Number(f[4]),
          }
    )
  }
  return rows
}

/**
 * What the ledger replays, per taxpayer, from their rows: with `asOf`, the
 * decisions in force on that day (see liveAssessmentIds), otherwise those in
 * force now.
 */
export function ledgerInputsFromRows(
  rows: LedgerRows,
  asOf?: string | null
): Map<number, LedgerInputs> {
  const { assessments, installments, charges, payments } = rows
  const byTaxpayer = new Map<number, LedgerInputs>()
  const inputsOf = (taxpayerId: number) => {
    let inputs = byTaxpayer.get(taxpayerId)
    if (!inputs) byTaxpayer.set(taxpayerId, (inputs = emptyInputs()))
    return inputs
  }
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
   * Only needed when something is booked on an installment: most ledgers have
   * no such entry, and indexing every installment would cost the bulk replay.
   */
  const slot = (assessmentId: number, row: Row) => `${assessmentId}|${row.statutory_due}|${row.due}`
  let installmentRows: Map<number, Row> | null = null
  let liveSlots: Map<string, number> | null = null
  const carriedOver = (installmentId: number | null) => {
    if (installmentId === null) return null
    if (!installmentRows || !liveSlots) {
      installmentRows = new Map()
      liveSlots = new Map()
      for (const row of installments) {
        installmentRows.set(Number(row.id), row)
        if (live.has(Number(row.assessment_id)))
          liveSlots.set(slot(Number(row.assessment_id), row), Number(row.id))
      }
    }
    const row = installmentRows.get(installmentId)
    if (!row || live.has(Number(row.assessment_id))) return installmentId
    const successor = resolveNamed(Number(row.assessment_id), versions, successorOf, live)
    return liveSlots.get(slot(successor, row)) ?? installmentId
  }

  for (const row of installments) {
    const assessmentId = Number(row.assessment_id)
    if (!live.has(assessmentId)) continue
    inputsOf(Number(row.taxpayer_id)).installments.push({
      id: Number(row.id),
      assessmentId,
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
  return ledgerInputsFromRows(await loadLedgerRows(taxpayerIds, client), asOf)
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

/* Taxpayers per slice of allLedgers: rows of one slice die young instead of filling the old generation. */
const SLICE = 2000

/**
 * Every taxpayer's ledger as of a date (arrears lists, reminders). Over a whole
 * register this takes a second or more: run it in the queue worker (a
 * background task), never in a request. `onSlice` hears how many of the
 * taxpayer ids are done after each slice, for the task's progress.
 */
export async function allLedgers(
  asOf: string,
  onSlice?: (done: number, total: number) => Promise<void>
): Promise<Map<number, LedgerResult>> {
  const client = db.connection()
  const [bounds, rules] = await Promise.all([
    client.from('fees_taxpayers').min('id as first').max('id as last').first(),
    interestRulesAt(asOf),
  ])
  const results = new Map<number, LedgerResult>()
  if (!bounds || bounds.first === null) return results
  const first = Number(bounds.first)
  const last = Number(bounds.last)
  /*
   * Rows hold a taxpayer id, so slices by id range cover every row once; a
   * taxpayer created meanwhile beyond `last` is simply not in this snapshot.
   */
  for (let fromId = first; fromId <= last; fromId += SLICE) {
    const rows = await loadLedgerRows({ fromId, toId: Math.min(fromId + SLICE - 1, last) }, client)
    for (const [taxpayerId, inputs] of ledgerInputsFromRows(rows, asOf))
      results.set(
        taxpayerId,
        replayLedger({
          asOf,
          rules,
          installments: inputs.installments,
          charges: inputs.charges,
          payments: inputs.payments,
        })
      )
    await onSlice?.(Math.min(fromId + SLICE - 1, last) - first + 1, last - first + 1)
  }
  return results
}
