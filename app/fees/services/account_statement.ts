import db from '@adonisjs/lucid/services/db'
import { roundToZloty } from '#core/services/money'
import officeProfileService from '#core/services/office_profile_service'
import { paymentQrText } from '#payments/services/transfer_data'
import { WASTE_METHOD_LABELS, type WasteMethod } from '#fees/services/waste_fee'
import {
  interestRulesAt,
  ledgerInputsFromRows,
  liveAssessmentIds,
  loadLedgerRows,
} from '#fees/services/ledger_store'
import { replayLedger } from '#fees/services/ledger'
import { taxpayers, type TaxpayerRow } from '#fees/services/taxpayers'
import {
  TAX_LABELS,
  UNIT_LABELS,
  findCategory,
  type BaseUnit,
  type TaxKind,
} from '#fees/services/tax_categories'
import type { InstallmentState, LedgerTotals, ReminderCostState } from '#fees/services/ledger'

export interface StatementLine {
  position: number
  tax: TaxKind
  taxLabel: string
  categoryLabel: string
  description: string
  unit: BaseUnit
  unitLabel: string
  baseE4: number
  rateE4: number
  /** Months of the year taxed: base × rate × months/12 = amount (12 for a whole year). */
  months: number
  amountGr: number
}

export interface StatementAssessment {
  id: number
  number: string
  kind: string
  title: string
  year: number
  status: string
  issuedOn: string
  deliveredOn: string | null
  effectiveFrom: string | null
  replacesNumber: string | null
  totalGr: number
  lines: StatementLine[]
  /** Tax decisions: each tax's lines summed and rounded to full złoty, as the decision states them. */
  subtotals: { tax: TaxKind; label: string; exactGr: number; amountGr: number }[]
  installments: InstallmentState[]
  outstandingGr: number
  arrearsGr: number
  interestGr: number
}

export interface StatementPayment {
  id: number
  paidOn: string
  amountGr: number
  source: string
  title: string | null
  allocations: { label: string; principalGr: number; interestGr: number }[]
  /** Part of this payment not (yet) used: overpayment. */
  unusedGr: number
}

export interface TransferData {
  recipientName: string
  recipientNip: string
  account: string
  title: string
  amountGr: number
  qrText: string
}

export interface AccountStatement {
  asOf: string
  taxpayer: TaxpayerRow
  members: TaxpayerRow[]
  assessments: StatementAssessment[]
  replaced: { id: number; number: string; title: string; issuedOn: string }[]
  reminderCosts: ReminderCostState[]
  payments: StatementPayment[]
  totals: LedgerTotals
  transfer: TransferData | null
}

const TAX_DECISION_KINDS = new Set(['property-individual', 'legal-person-monthly'])

/* Tax Ordinance art. 63 §1: each tax is rounded on its own; the waste fee is not, so only tax decisions get these. */
function taxSubtotals(lines: StatementLine[]) {
  const exact = new Map<TaxKind, number>()
  for (const line of lines) exact.set(line.tax, (exact.get(line.tax) ?? 0) + line.amountGr)
  return [...exact].map(([tax, exactGr]) => ({
    tax,
    label: TAX_LABELS[tax] ?? tax,
    exactGr,
    amountGr: roundToZloty(exactGr),
  }))
}

/** Polish names of a calculation line's levy and category: taxes, the waste fee, other fees. */
function lineLabels(tax: string, category: string, assessmentTitle: string) {
  if (tax === 'waste')
    return {
      taxLabel: 'Opłata za gospodarowanie odpadami komunalnymi',
      categoryLabel: `Opłata ${WASTE_METHOD_LABELS[category as WasteMethod] ?? category}`,
    }
  if (tax === 'fee') return { taxLabel: 'Opłata lokalna', categoryLabel: assessmentTitle }
  return {
    taxLabel: TAX_LABELS[tax as TaxKind] ?? tax,
    categoryLabel: findCategory(category)?.label ?? category,
  }
}

/**
 * Everything a taxpayer's account shows as of a date: each liability with its
 * calculation basis and installments, payments and how they were applied, the
 * totals, and the transfer data. The clerk's account card and the resident's
 * "Moje podatki i opłaty" both render this, and only this.
 */
export async function accountStatement(
  taxpayerId: number,
  asOf: string,
  /** The taxpayer's row when the caller has just read it (the resident's pages do). */
  known?: TaxpayerRow
): Promise<AccountStatement | null> {
  const taxpayer = known?.id === taxpayerId ? known : await taxpayers.find(taxpayerId)
  if (!taxpayer) return null
  /*
   * The ledger and the statement read the same decisions and payments: one
   * read of whole rows serves both (profiles showed the page's time going to
   * the number of queries more than to anything else).
   */
  const [rows, rules, allLineRows, members, office] = await Promise.all([
    loadLedgerRows([taxpayerId], undefined, true),
    interestRulesAt(asOf),
    db
      .from('fees_assessment_lines')
      .whereIn(
        'assessment_id',
        db.from('fees_assessments').where('taxpayer_id', taxpayerId).select('id')
      )
      .orderBy('position'),
    taxpayer.kind === 'joint' ? taxpayers.members(taxpayerId) : Promise.resolve([]),
    officeProfileService.get(),
  ])
  const ledger = replayLedger({
    asOf,
    rules,
    ...(ledgerInputsFromRows(rows, asOf).get(taxpayerId) ?? {
      installments: [],
      charges: [],
      payments: [],
    }),
  })
  const assessmentRows = rows.assessments
    .filter((row) => row.issued_on <= asOf)
    .sort((a, b) => Number(b.year) - Number(a.year) || Number(b.id) - Number(a.id))
  const paymentRows = rows.payments
    .filter((row) => row.paid_on <= asOf)
    .sort(
      (a, b) =>
        (a.paid_on < b.paid_on ? -1 : a.paid_on > b.paid_on ? 1 : 0) || Number(a.id) - Number(b.id)
    )
  /* The decisions in force on the statement date: a correction issued later has not replaced anything yet. */
  const live = liveAssessmentIds(
    assessmentRows.map((row) => ({
      id: Number(row.id),
      status: row.status,
      replacesId: row.replaces_id === null ? null : Number(row.replaces_id),
      issuedOn: row.issued_on,
    })),
    asOf
  )
  const activeRows = assessmentRows.filter((row) => live.has(Number(row.id)))
  const lineRows = allLineRows.filter((line) => live.has(Number(line.assessment_id)))
  const numberOf = new Map(assessmentRows.map((row) => [Number(row.id), String(row.number)]))

  const assessments: StatementAssessment[] = activeRows.map((row) => {
    const id = Number(row.id)
    const installments = ledger.installments.filter(
      (installment) => installment.assessmentId === id
    )
    const sum = (pick: (installment: InstallmentState) => number) =>
      installments.reduce((total, installment) => total + pick(installment), 0)
    return {
      id,
      number: row.number,
      kind: row.kind,
      title: row.title,
      year: Number(row.year),
      status: row.status,
      issuedOn: row.issued_on,
      deliveredOn: row.delivered_on,
      effectiveFrom: row.effective_from,
      replacesNumber: row.replaces_id ? (numberOf.get(Number(row.replaces_id)) ?? null) : null,
      totalGr: Number(row.total_gr),
      lines: lineRows
        .filter((line) => Number(line.assessment_id) === id)
        .map((line) => ({
          position: Number(line.position),
          tax: line.tax,
          ...lineLabels(line.tax, line.category, row.title),
          description: line.description,
          unit: line.unit,
          unitLabel: UNIT_LABELS[line.unit as BaseUnit] ?? line.unit,
          baseE4: Number(line.base_e4),
          rateE4: Number(line.rate_e4),
          months: Number(line.months ?? 12),
          amountGr: Number(line.amount_gr),
        })),
      subtotals: [],
      installments,
      outstandingGr: sum((installment) => installment.outstandingGr),
      arrearsGr: sum((installment) => (installment.overdue ? installment.outstandingGr : 0)),
      interestGr: sum((installment) => installment.interestGr),
    }
  })

  for (const assessment of assessments)
    if (TAX_DECISION_KINDS.has(assessment.kind))
      assessment.subtotals = taxSubtotals(assessment.lines)

  const installmentLabel = new Map(
    ledger.installments.map((installment) => [
      installment.id,
      `${numberOf.get(installment.assessmentId) ?? ''}, rata ${installment.number}`,
    ])
  )
  const payments: StatementPayment[] = paymentRows.map((row) => {
    const id = Number(row.id)
    const allocations = ledger.allocations
      .filter((allocation) => allocation.paymentId === id)
      .map((allocation) => ({
        label:
          allocation.itemKind === 'reminder_cost'
            ? 'Koszty upomnienia'
            : (installmentLabel.get(allocation.itemId) ?? 'Rata'),
        principalGr: allocation.principalGr,
        interestGr: allocation.interestGr,
      }))
    const used = allocations.reduce(
      (sum, allocation) => sum + allocation.principalGr + allocation.interestGr,
      0
    )
    return {
      id,
      paidOn: row.paid_on,
      amountGr: Number(row.amount_gr),
      source: row.source,
      title: row.title,
      allocations,
      unusedGr: Number(row.amount_gr) - used,
    }
  })

  return {
    asOf,
    taxpayer,
    members,
    assessments,
    replaced: assessmentRows
      .filter((row) => !live.has(Number(row.id)))
      .map((row) => ({
        id: Number(row.id),
        number: row.number,
        title: row.title,
        issuedOn: row.issued_on,
      })),
    reminderCosts: ledger.reminderCosts,
    payments,
    totals: ledger.totals,
    transfer: office ? transferData(office, taxpayer, ledger.installments, ledger.totals) : null,
  }
}

function transferData(
  office: { name: string; nip: string },
  taxpayer: TaxpayerRow,
  installments: InstallmentState[],
  totals: LedgerTotals
): TransferData {
  const next = installments.find((installment) => installment.outstandingGr > 0)
  const amountGr = totals.toPayNowGr > 0 ? totals.toPayNowGr : (next?.outstandingGr ?? 0)
  const title = `Podatki i opłaty, podatnik ${taxpayer.id}`
  return {
    recipientName: office.name,
    recipientNip: office.nip,
    account: taxpayer.accountNumber,
    title,
    amountGr,
    qrText: paymentQrText({
      recipientNip: office.nip,
      account: taxpayer.accountNumber,
      amountGr,
      recipientName: office.name,
      title,
    }),
  }
}
