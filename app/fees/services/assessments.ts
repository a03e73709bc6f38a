import db from '@adonisjs/lucid/services/db'
import type { QueryClientContract, TransactionClientContract } from '@adonisjs/lucid/types/database'
import { addDays, nextWorkingDay, parseIsoDate } from '#core/services/calendar'
import {
  splitIntoInstallments,
  installmentSchedule,
  type ScheduleKind,
} from '#fees/services/installment_schedule'
import {
  calculateAssessment,
  type Calculation,
  type CalculationLine,
  type TaxObjectInput,
  type TaxRateInput,
} from '#fees/services/assessment_calculation'
import { taxpayers } from '#fees/services/taxpayers'
import auditLog, { type AuditContext } from '#core/services/audit_log'

export type AssessmentKind = ScheduleKind | 'waste' | 'fee'

export class AssessmentError extends Error {
  constructor(
    message: string,
    readonly field: string
  ) {
    super(message)
  }
}

export interface NewInstallment {
  number: number
  statutoryDue: string
  due: string
  amountGr: number
  existsFrom: string
}

/* A line of any liability: tax lines come from calculateAssessment; waste-fee and other-fee lines carry their own unit. */
export type NewAssessmentLine = Omit<CalculationLine, 'months' | 'tax' | 'unit'> & {
  tax: CalculationLine['tax'] | 'waste' | 'fee'
  unit: string
  /** Months of the year taxed (base × rate × months/12 = amount); 12 when not given. */
  months?: number
}

export interface NewAssessment {
  taxpayerId: number
  kind: AssessmentKind
  feeTypeId?: number | null
  year: number
  title: string
  totalGr: number
  lines: NewAssessmentLine[]
  installments: NewInstallment[]
  issuedOn: string
  deliveredOn?: string | null
  replacesId?: number | null
  effectiveFrom?: string | null
  staffId?: number | null
}

/* Case-file prefixes (unit.JRWA) of the decision numbers, per kind. */
const NUMBER_PREFIX: Record<AssessmentKind, string> = {
  'property-individual': 'FN.3120',
  'legal-person-monthly': 'FN.3120',
  'transport': 'FN.3123',
  'waste': 'FN.3126',
  'fee': 'FN.3121',
}

const LATE_DELIVERY_DAYS = 14

async function nextNumber(trx: TransactionClientContract, kind: AssessmentKind, year: number) {
  const prefix = NUMBER_PREFIX[kind]
  /* The highest number used, not a count: after a deletion a count would hand out a number again. */
  const rows = await trx
    .from('fees_assessments')
    .where('number', 'like', `${prefix}.%.${year}`)
    .select('number')
  const used = rows.map((row) =>
    Number(
      String(row.number)
        .slice(prefix.length + 1)
        .split('.')[0]
    )
  )
  return `${prefix}.${Math.max(0, ...used.filter(Number.isSafeInteger)) + 1}.${year}`
}

/** Writes an assessment with its lines and installments (in the caller's transaction). */
export async function createAssessment(
  trx: TransactionClientContract,
  data: NewAssessment
): Promise<number> {
  const sum = data.installments.reduce((total, installment) => total + installment.amountGr, 0)
  if (sum !== data.totalGr)
    throw new Error(`installments add up to ${sum} gr, the assessment to ${data.totalGr} gr`)
  const now = new Date()
  const [inserted] = await trx
    .table('fees_assessments')
    .insert({
      taxpayer_id: data.taxpayerId,
      kind: data.kind,
      fee_type_id: data.feeTypeId ?? null,
      year: data.year,
      number: await nextNumber(trx, data.kind, data.year),
      title: data.title,
      total_gr: data.totalGr,
      status: 'active',
      replaces_id: data.replacesId ?? null,
      effective_from: data.effectiveFrom ?? null,
      issued_on: data.issuedOn,
      delivered_on: data.deliveredOn ?? null,
      issued_by_staff_id: data.staffId ?? null,
      created_at: now,
      updated_at: now,
    })
    .returning('id')
  const id = Number(typeof inserted === 'object' ? inserted.id : inserted)
  if (data.lines.length)
    await trx.table('fees_assessment_lines').multiInsert(
      data.lines.map((line) => ({
        assessment_id: id,
        position: line.position,
        tax: line.tax,
        category: line.category,
        description: line.description.slice(0, 300),
        unit: line.unit,
        base_e4: line.baseE4,
        rate_e4: line.rateE4,
        amount_gr: line.amountGr,
        months: line.months ?? 12,
      }))
    )
  if (data.installments.length)
    await trx.table('fees_installments').multiInsert(
      data.installments.map((installment) => ({
        assessment_id: id,
        taxpayer_id: data.taxpayerId,
        number: installment.number,
        statutory_due: installment.statutoryDue,
        due: installment.due,
        amount_gr: installment.amountGr,
        exists_from: installment.existsFrom,
      }))
    )
  return id
}

async function objectsAndRates(taxpayerId: number, year: number) {
  const [objects, rates] = await Promise.all([
    db.from('fees_tax_objects').where('taxpayer_id', taxpayerId).orderBy('id'),
    db.from('fees_tax_rates').where('year', year),
  ])
  return {
    objects: objects.map((row): TaxObjectInput => ({
      id: Number(row.id),
      tax: row.tax,
      category: row.category,
      description: row.description,
      location: row.location,
      baseE4: Number(row.base_e4),
      validFrom: row.valid_from,
      validTo: row.valid_to,
    })),
    rates: rates.map((row): TaxRateInput => ({
      tax: row.tax,
      category: row.category,
      unit: row.unit,
      rateE4: Number(row.rate_e4),
    })),
  }
}

function scheduleKindOf(taxpayerKind: string): ScheduleKind {
  return taxpayerKind === 'business' ? 'legal-person-monthly' : 'property-individual'
}

/** The calculation a decision for the year would carry, for the clerk to check before issuing. */
export async function previewTaxDecision(taxpayerId: number, year: number): Promise<Calculation> {
  const { objects, rates } = await objectsAndRates(taxpayerId, year)
  return calculateAssessment({ year, objects, rates })
}

async function refuseSecondDecision(
  taxpayerId: number,
  year: number,
  client: QueryClientContract = db.connection()
) {
  const existing = await client
    .from('fees_assessments')
    .where({ taxpayer_id: taxpayerId, year, status: 'active' })
    .whereIn('kind', ['property-individual', 'legal-person-monthly'])
    .first()
  if (existing)
    throw new AssessmentError(
      `Decyzja na rok ${year} już istnieje. Aby zmienić wymiar, wydaj decyzję zmieniającą.`,
      'year'
    )
}

function validDate(value: string, field: string) {
  if (parseIsoDate(value) !== value)
    throw new AssessmentError(`Data „${value}” jest nieprawidłowa (oczekiwano RRRR-MM-DD).`, field)
}

/**
 * Issues the yearly property, agricultural and forest tax decision (nakaz
 * płatniczy, one combined liability for individuals) with its statutory
 * installments and a new access code for the e-BOK.
 */
export async function issueTaxDecision(input: {
  taxpayerId: number
  year: number
  issuedOn: string
  deliveredOn?: string | null
  staffId?: number | null
  /** Who issues it: the audit entry commits with the decision. */
  audit?: AuditContext
}): Promise<{ assessmentId: number; accessCode: string }> {
  const taxpayer = await taxpayers.find(input.taxpayerId)
  if (!taxpayer) throw new AssessmentError('Nie ma takiego podatnika.', 'taxpayerId')
  validDate(input.issuedOn, 'issuedOn')
  if (input.deliveredOn) validDate(input.deliveredOn, 'deliveredOn')
  if (input.deliveredOn && input.deliveredOn < input.issuedOn)
    throw new AssessmentError('Decyzji nie można doręczyć przed jej wydaniem.', 'deliveredOn')
  await refuseSecondDecision(input.taxpayerId, input.year)
  const calculation = await previewTaxDecision(input.taxpayerId, input.year)
  if (calculation.lines.length === 0)
    throw new AssessmentError('Podatnik nie ma przedmiotów opodatkowania w tym roku.', 'objects')
  const kind = scheduleKindOf(taxpayer.kind)
  const schedule = installmentSchedule({
    kind,
    year: input.year,
    totalGr: calculation.totalGr,
    /*
     * Until delivery is recorded, the issue day stands in for it: a statutory
     * date already past cannot be owed before the decision even existed.
     */
    delivered: input.deliveredOn ?? input.issuedOn,
  })
  return db.transaction(async (trx) => {
    /* Checked again under the taxpayer's lock: two clerks issuing at once get one decision. */
    await trx.from('fees_taxpayers').where('id', input.taxpayerId).forUpdate().first()
    await refuseSecondDecision(input.taxpayerId, input.year, trx)
    const assessmentId = await createAssessment(trx, {
      taxpayerId: input.taxpayerId,
      kind,
      year: input.year,
      title:
        kind === 'legal-person-monthly'
          ? `Podatek od nieruchomości na rok ${input.year}`
          : `Łączne zobowiązanie pieniężne na rok ${input.year}`,
      totalGr: calculation.totalGr,
      lines: calculation.lines,
      installments: schedule.map((installment) => ({ ...installment, existsFrom: input.issuedOn })),
      issuedOn: input.issuedOn,
      deliveredOn: input.deliveredOn ?? null,
      staffId: input.staffId ?? null,
    })
    const accessCode = await taxpayers.issueAccessCode(input.taxpayerId, trx)
    await auditLog.recordFor(
      input.audit,
      {
        action: 'fees.decision_issued',
        subjectType: 'fees_assessment',
        subjectId: assessmentId,
        details: { taxpayerId: input.taxpayerId, year: input.year },
      },
      trx
    )
    return { assessmentId, accessCode }
  })
}

/**
 * Records delivery of a decision: installments whose statutory date passed
 * before delivery become due 14 days after it (shifted to a working day).
 * Installments a correction carried over from the decision it replaced were
 * owed since that decision and keep their dates.
 */
export async function recordDelivery(
  assessmentId: number,
  deliveredOn: string,
  audit?: AuditContext
) {
  validDate(deliveredOn, 'deliveredOn')
  await db.transaction(async (trx) => {
    const assessment = await trx
      .from('fees_assessments')
      .where('id', assessmentId)
      .forUpdate()
      .first()
    if (!assessment) throw new AssessmentError('Nie ma takiej decyzji.', 'assessmentId')
    if (deliveredOn < assessment.issued_on)
      throw new AssessmentError('Decyzji nie można doręczyć przed jej wydaniem.', 'deliveredOn')
    await trx
      .from('fees_assessments')
      .where('id', assessmentId)
      .update({ delivered_on: deliveredOn, updated_at: new Date() })
    const lateDue = nextWorkingDay(addDays(deliveredOn, LATE_DELIVERY_DAYS))
    const installments = await trx
      .from('fees_installments')
      .where('assessment_id', assessmentId)
      .where('exists_from', '>=', assessment.issued_on)
    for (const installment of installments) {
      const due =
        nextWorkingDay(installment.statutory_due) < deliveredOn
          ? lateDue
          : nextWorkingDay(installment.statutory_due)
      if (due !== installment.due)
        await trx.from('fees_installments').where('id', installment.id).update({ due })
    }
    await auditLog.recordFor(
      audit,
      {
        action: 'fees.decision_delivered',
        subjectType: 'fees_assessment',
        subjectId: assessmentId,
        details: { deliveredOn },
      },
      trx
    )
  })
}

/**
 * Splits a corrected yearly amount: installments due before the correction
 * takes effect stay as they were; the rest of the new amount is spread over the
 * remaining statutory dates (what does not divide goes to the first of them), or
 * due 14 days after issue when none remain. When the new amount is less than
 * what was already due, the kept installments are reduced from the latest back.
 * A recalculated installment whose date had already passed when the correction
 * was issued stays owed on that date up to what the replaced decision demanded
 * then; only an increase over it is due 14 days after issue — nobody owes
 * interest for being late with money no decision had asked for yet.
 */
export function correctedInstallments(input: {
  previous: {
    number: number
    statutoryDue: string
    due: string
    amountGr: number
    existsFrom: string
  }[]
  newSchedule: { statutoryDue: string; due: string }[]
  newTotalGr: number
  effectiveFrom: string
  issuedOn: string
}): NewInstallment[] {
  const kept = input.previous
    .filter((installment) => installment.due < input.effectiveFrom)
    .map((installment) => ({ ...installment }))
  let keptSum = kept.reduce((sum, installment) => sum + installment.amountGr, 0)
  for (let index = kept.length - 1; index >= 0 && keptSum > input.newTotalGr; index--) {
    const cut = Math.min(kept[index].amountGr, keptSum - input.newTotalGr)
    kept[index].amountGr -= cut
    keptSum -= cut
  }
  const remainingGr = input.newTotalGr - keptSum
  const afterIssue = nextWorkingDay(addDays(input.issuedOn, LATE_DELIVERY_DAYS))
  let later = input.newSchedule.filter((installment) => installment.due >= input.effectiveFrom)
  if (later.length === 0 && remainingGr > 0) later = [{ statutoryDue: afterIssue, due: afterIssue }]
  const parts = later.length ? splitIntoInstallments(remainingGr, later.length) : []

  const result: Omit<NewInstallment, 'number'>[] = kept.map((installment) => ({
    statutoryDue: installment.statutoryDue,
    due: installment.due,
    amountGr: installment.amountGr,
    existsFrom: installment.existsFrom,
  }))
  let increaseGr = 0
  later.forEach((installment, index) => {
    if (installment.due >= input.issuedOn) {
      result.push({
        statutoryDue: installment.statutoryDue,
        due: installment.due,
        amountGr: parts[index],
        existsFrom: input.issuedOn,
      })
      return
    }
    const replaced = input.previous.filter(
      (old) => old.statutoryDue === installment.statutoryDue && old.due >= input.effectiveFrom
    )
    const demandedGr = replaced.reduce((sum, old) => sum + old.amountGr, 0)
    const owedGr = Math.min(parts[index], demandedGr)
    result.push({
      statutoryDue: installment.statutoryDue,
      due: installment.due,
      amountGr: owedGr,
      existsFrom: replaced[0]?.existsFrom ?? input.issuedOn,
    })
    increaseGr += parts[index] - owedGr
  })
  if (increaseGr > 0)
    result.push({
      statutoryDue: afterIssue,
      due: afterIssue,
      amountGr: increaseGr,
      existsFrom: input.issuedOn,
    })
  const nonEmpty = result.filter((installment) => installment.amountGr > 0)
  return (nonEmpty.length || !result.length ? nonEmpty : result.slice(0, 1))
    .sort((a, b) => a.due.localeCompare(b.due) || a.statutoryDue.localeCompare(b.statutoryDue))
    .map((installment, index) => ({ ...installment, number: index + 1 }))
}

/** A decision changing the tax from a date (decyzja zmieniająca), replacing the one in force. */
export async function correctTaxDecision(input: {
  assessmentId: number
  effectiveFrom: string
  issuedOn: string
  staffId?: number | null
  audit?: AuditContext
}): Promise<{ assessmentId: number }> {
  const old = await db.from('fees_assessments').where('id', input.assessmentId).first()
  if (!old || old.status !== 'active')
    throw new AssessmentError('Można zmienić tylko decyzję, która obowiązuje.', 'assessmentId')
  if (!['property-individual', 'legal-person-monthly'].includes(old.kind))
    throw new AssessmentError('Ta decyzja nie jest decyzją podatkową.', 'assessmentId')
  const year = Number(old.year)
  validDate(input.effectiveFrom, 'effectiveFrom')
  validDate(input.issuedOn, 'issuedOn')
  if (!input.effectiveFrom.startsWith(String(year)))
    throw new AssessmentError(`Data zmiany musi przypadać w roku ${year}.`, 'effectiveFrom')
  if (input.issuedOn < old.issued_on)
    throw new AssessmentError(
      'Decyzja zmieniająca nie może być wcześniejsza niż zmieniana.',
      'issuedOn'
    )
  const calculation = await previewTaxDecision(Number(old.taxpayer_id), year)
  return db.transaction(async (trx) => {
    const locked = await trx.from('fees_assessments').where('id', old.id).forUpdate().first()
    if (locked.status !== 'active')
      throw new AssessmentError('Tę decyzję właśnie zmieniono. Odśwież stronę.', 'assessmentId')
    const previous = await trx
      .from('fees_installments')
      .where('assessment_id', old.id)
      .orderBy('number')
    const installments = correctedInstallments({
      previous: previous.map((row) => ({
        number: Number(row.number),
        statutoryDue: row.statutory_due,
        due: row.due,
        amountGr: Number(row.amount_gr),
        existsFrom: row.exists_from,
      })),
      /* The dates the replaced decision set, late delivery included, so kept and new ones line up. */
      newSchedule: installmentSchedule({
        kind: old.kind,
        year,
        totalGr: calculation.totalGr,
        delivered: old.delivered_on ?? old.issued_on,
      }),
      newTotalGr: calculation.totalGr,
      effectiveFrom: input.effectiveFrom,
      issuedOn: input.issuedOn,
    })
    await trx
      .from('fees_assessments')
      .where('id', old.id)
      .update({ status: 'replaced', updated_at: new Date() })
    const assessmentId = await createAssessment(trx, {
      taxpayerId: Number(old.taxpayer_id),
      kind: old.kind,
      year,
      title: `${old.title} — zmiana od ${input.effectiveFrom}`.slice(0, 200),
      totalGr: calculation.totalGr,
      lines: calculation.lines,
      installments,
      issuedOn: input.issuedOn,
      replacesId: Number(old.id),
      effectiveFrom: input.effectiveFrom,
      staffId: input.staffId ?? null,
    })
    await auditLog.recordFor(
      input.audit,
      {
        action: 'fees.decision_corrected',
        subjectType: 'fees_assessment',
        subjectId: assessmentId,
        details: {
          replaces: Number(old.id),
          taxpayerId: Number(old.taxpayer_id),
          effectiveFrom: input.effectiveFrom,
        },
      },
      trx
    )
    return { assessmentId }
  })
}
