import db from '@adonisjs/lucid/services/db'
import type { QueryClientContract, TransactionClientContract } from '@adonisjs/lucid/types/database'
import { addDays, nextWorkingDay } from '#core/services/calendar'
import { formatMoney, roundToZloty } from '#core/services/money'
import { formatScaled } from '#fees/services/assessment_calculation'
import { createAssessment, type NewAssessmentLine } from '#fees/services/assessments'
import { feeScheduleDates, parseFeeSchedule } from '#fees/services/fee_schedules'
import { splitIntoInstallments } from '#fees/services/installment_schedule'
import { taxpayers } from '#fees/services/taxpayers'

/*
 * Other local fees the office defines itself (opłata od posiadania psów,
 * targowa …): a fixed yearly amount or an amount per unit, a schedule and a
 * rounding rule, all data in fees_fee_types.
 */

export type AmountRule = 'fixed' | 'per_unit'
export type Rounding = 'none' | 'zloty'

export interface FeeType {
  id: number
  code: string
  name: string
  amountRule: AmountRule
  amountGr: number
  unitLabel: string | null
  schedule: string
  rounding: Rounding
  isActive: boolean
}

export class FeeError extends Error {
  constructor(
    message: string,
    readonly field: string
  ) {
    super(message)
  }
}

/* Installments already due when the fee is assessed are paid within 14 days, as for a late decision. */
const LATE_DAYS = 14

export function feeTypeFromRow(row: any): FeeType {
  return {
    id: Number(row.id),
    code: row.code,
    name: row.name,
    amountRule: row.amount_rule,
    amountGr: Number(row.amount_gr),
    unitLabel: row.unit_label ?? null,
    schedule: row.schedule,
    rounding: row.rounding,
    isActive: Boolean(row.is_active),
  }
}

export async function feeTypes(
  options: { activeOnly?: boolean } = {},
  client: QueryClientContract = db.connection()
): Promise<FeeType[]> {
  const query = client.from('fees_fee_types').orderBy('name', 'asc').orderBy('id', 'asc')
  if (options.activeOnly) query.where('is_active', true)
  const rows = await query
  return rows.map(feeTypeFromRow)
}

export interface FeeCalculation {
  line: NewAssessmentLine
  totalGr: number
  installments: { number: number; statutoryDue: string; due: string; amountGr: number }[]
}

/**
 * A fee for a year: amount (× units for a per-unit fee, exact to the grosz),
 * rounded to full złoty when the fee type says so, split over the schedule's
 * dates (what does not divide goes to the first); dates already passed on the
 * day of issue move to 14 days after it; every date shifted to a working day.
 */
export function calculateFee(input: {
  feeType: FeeType
  year: number
  unitsE4: number
  issuedOn: string
}): FeeCalculation {
  const { feeType, year, issuedOn } = input
  const schedule = parseFeeSchedule(feeType.schedule)
  if (!schedule) throw new FeeError('Rodzaj opłaty ma niepoprawny harmonogram.', 'feeTypeId')
  const unitsE4 = feeType.amountRule === 'fixed' ? 10_000 : input.unitsE4
  if (!Number.isInteger(unitsE4) || unitsE4 <= 0)
    throw new FeeError('Podaj liczbę jednostek większą od zera.', 'units')
  const exactGr = Math.floor((feeType.amountGr * unitsE4 + 5_000) / 10_000)
  const totalGr = feeType.rounding === 'zloty' ? roundToZloty(exactGr) : exactGr
  const dates = feeScheduleDates(schedule, year)
  const parts = splitIntoInstallments(totalGr, dates.length)
  const lateDue = addDays(issuedOn, LATE_DAYS)
  const installments = dates
    .map((statutoryDue, index) => ({
      number: index + 1,
      statutoryDue,
      due: nextWorkingDay(statutoryDue < issuedOn ? lateDue : statutoryDue),
      amountGr: parts[index],
    }))
    .filter((installment) => installment.amountGr > 0)
    .map((installment, index) => ({ ...installment, number: index + 1 }))
  const units =
    feeType.amountRule === 'fixed'
      ? ''
      : `${formatScaled(unitsE4, 0)} ${feeType.unitLabel ?? 'jedn.'} × `
  const rounded = totalGr !== exactGr ? `, po zaokrągleniu do pełnych złotych` : ''
  return {
    line: {
      position: 1,
      tax: 'fee',
      category: feeType.code,
      description:
        `${feeType.name} na rok ${year}: ${units}${formatMoney(feeType.amountGr)}${rounded}`.slice(
          0,
          300
        ),
      unit: (feeType.amountRule === 'fixed' ? 'rok' : (feeType.unitLabel ?? 'jedn.')).slice(0, 10),
      baseE4: unitsE4,
      rateE4: feeType.amountGr * 100,
      amountGr: totalGr,
    },
    totalGr,
    installments,
  }
}

/** Assesses a fee of a type for a taxpayer and year (kind 'fee'), in the caller's transaction when given. */
export async function assessFee(
  input: {
    taxpayerId: number
    feeTypeId: number
    year: number
    /** Number of units for a per-unit fee (may have up to 4 decimals); ignored for a fixed fee. */
    units?: number | null
    issuedOn: string
    staffId?: number | null
  },
  trx?: TransactionClientContract
): Promise<{ assessmentId: number }> {
  if (!trx) return db.transaction((tx) => assessFee(input, tx))
  if (!(await taxpayers.find(input.taxpayerId, trx)))
    throw new FeeError('Nie ma takiego podatnika.', 'taxpayerId')
  const row = await trx.from('fees_fee_types').where('id', input.feeTypeId).first()
  if (!row) throw new FeeError('Wybierz rodzaj opłaty z listy.', 'feeTypeId')
  const feeType = feeTypeFromRow(row)
  if (!feeType.isActive)
    throw new FeeError(`Opłata „${feeType.name}” nie jest już pobierana.`, 'feeTypeId')
  const existing = await trx
    .from('fees_assessments')
    .where({
      taxpayer_id: input.taxpayerId,
      kind: 'fee',
      fee_type_id: feeType.id,
      year: input.year,
      status: 'active',
    })
    .first()
  if (existing)
    throw new FeeError(
      `Opłata „${feeType.name}” na rok ${input.year} jest już naliczona (${existing.number}).`,
      'year'
    )
  const calculation = calculateFee({
    feeType,
    year: input.year,
    unitsE4: Math.round((input.units ?? 0) * 10_000),
    issuedOn: input.issuedOn,
  })
  if (calculation.totalGr === 0) throw new FeeError('Opłata wynosi 0,00 zł.', 'units')
  const assessmentId = await createAssessment(trx, {
    taxpayerId: input.taxpayerId,
    kind: 'fee',
    feeTypeId: feeType.id,
    year: input.year,
    title: `${feeType.name} na rok ${input.year}`.slice(0, 200),
    totalGr: calculation.totalGr,
    lines: [calculation.line],
    installments: calculation.installments.map((installment) => ({
      ...installment,
      existsFrom: input.issuedOn,
    })),
    issuedOn: input.issuedOn,
    staffId: input.staffId ?? null,
  })
  return { assessmentId }
}

/** Fees (kind 'fee') assessed for a taxpayer, newest first, with their fee type's name. */
export async function feeAssessments(taxpayerId: number) {
  return db
    .from('fees_assessments as a')
    .leftJoin('fees_fee_types as t', 't.id', 'a.fee_type_id')
    .where({ 'a.taxpayer_id': taxpayerId, 'a.kind': 'fee' })
    .orderBy('a.year', 'desc')
    .orderBy('a.id', 'desc')
    .select(
      'a.id',
      'a.number',
      'a.year',
      'a.title',
      'a.total_gr',
      'a.status',
      'a.issued_on',
      't.name as fee_name'
    )
}
