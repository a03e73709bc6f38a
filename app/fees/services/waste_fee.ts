import db from '@adonisjs/lucid/services/db'
import type { QueryClientContract, TransactionClientContract } from '@adonisjs/lucid/types/database'
import { nextWorkingDay } from '#core/services/calendar'
import { formatMoney } from '#core/services/money'
import { formatScaled } from '#fees/services/assessment_calculation'
import {
  createAssessment,
  type NewAssessmentLine,
  type NewInstallment,
} from '#fees/services/assessments'
import { dayInMonth, parseWasteSchedule } from '#fees/services/fee_schedules'
import { taxpayers } from '#fees/services/taxpayers'

/*
 * Municipal waste fee (opłata za gospodarowanie odpadami komunalnymi, Act on
 * Keeping Cleanliness and Order in Municipalities art. 6j–6m): a monthly amount
 * per property from the owner's declaration and the council's method and rate
 * in force that month. Unlike taxes it is not rounded to full złoty.
 */

export const WASTE_METHODS = ['residents', 'water', 'area', 'household'] as const
export type WasteMethod = (typeof WASTE_METHODS)[number]

export const WASTE_METHOD_LABELS: Record<WasteMethod, string> = {
  residents: 'od liczby mieszkańców',
  water: 'od ilości zużytej wody',
  area: 'od powierzchni lokalu mieszkalnego',
  household: 'od gospodarstwa domowego',
}

/** Units of the declared quantity, as printed on a calculation line. */
export const WASTE_UNITS: Record<WasteMethod, string> = {
  residents: 'os.',
  water: 'm³',
  area: 'm²',
  household: 'gosp.',
}

export interface WasteRate {
  id?: number
  /** First day of the month the rate applies from. */
  validFrom: string
  method: WasteMethod
  /** Per unit and month, grosze × 100 (the same scale as złoty × 10^4). */
  rateE2: number
  compostingDiscountE2: number
  /** 200–400: the higher rate for not sorting waste, % of the rate. */
  nonSortingMultiplierPct: number
  schedule: string
}

export interface WasteDeclaration {
  id?: number
  propertyAddress: string
  /** 'YYYY-MM': the month the declaration takes effect from. */
  effectiveMonth: string
  residents: number | null
  waterM3E2: number | null
  areaM2E2: number | null
  households: number | null
  composting: boolean
  sorting: boolean
}

export class WasteFeeError extends Error {
  constructor(
    message: string,
    readonly field: string
  ) {
    super(message)
  }
}

const MONTH_NAMES = [
  'styczeń',
  'luty',
  'marzec',
  'kwiecień',
  'maj',
  'czerwiec',
  'lipiec',
  'sierpień',
  'wrzesień',
  'październik',
  'listopad',
  'grudzień',
]

/** The declared quantity the method charges, × 100 (persons and households are whole numbers). */
function quantityE2(declaration: WasteDeclaration, method: WasteMethod): number {
  const value = {
    residents: declaration.residents === null ? null : declaration.residents * 100,
    water: declaration.waterM3E2,
    area: declaration.areaM2E2,
    household: declaration.households === null ? null : declaration.households * 100,
  }[method]
  if (value === null || value === undefined)
    throw new WasteFeeError(
      `Pole „${WASTE_QUANTITY_LABEL[method]}” jest wymagane: od ${declaration.effectiveMonth} opłatę ustala się ${WASTE_METHOD_LABELS[method]}.`,
      WASTE_QUANTITY_FIELD[method]
    )
  return value
}

const WASTE_QUANTITY_LABEL: Record<WasteMethod, string> = {
  residents: 'Liczba mieszkańców',
  water: 'Zużycie wody (m³ na miesiąc)',
  area: 'Powierzchnia lokalu (m²)',
  household: 'Liczba gospodarstw domowych',
}

/** The form field that carries each method's quantity. */
export const WASTE_QUANTITY_FIELD: Record<WasteMethod, string> = {
  residents: 'residents',
  water: 'waterM3',
  area: 'areaM2',
  household: 'households',
}

export interface MonthlyWasteFee {
  quantityE2: number
  /** Rate per unit after the composting discount or the non-sorting multiplier, grosze × 100. */
  unitRateE2: number
  /** Exact to the grosz: the waste fee is not rounded to full złoty. */
  amountGr: number
}

/**
 * One month's fee: quantity × rate, the rate lowered by the composting
 * discount, or multiplied when waste is not sorted (the discount is then lost).
 */
export function monthlyWasteFee(declaration: WasteDeclaration, rate: WasteRate): MonthlyWasteFee {
  const quantity = quantityE2(declaration, rate.method)
  const unitRateE2 = declaration.sorting
    ? Math.max(0, rate.rateE2 - (declaration.composting ? rate.compostingDiscountE2 : 0))
    : Math.round((rate.rateE2 * rate.nonSortingMultiplierPct) / 100)
  /* quantity × 100 · grosze × 100 = grosze × 10^4, rounded half up to the grosz */
  const amountGr = Math.floor((quantity * unitRateE2 + 5_000) / 10_000)
  return { quantityE2: quantity, unitRateE2, amountGr }
}

/** The rate in force in a month ('YYYY-MM'): the latest one valid from its first day or earlier. */
export function wasteRateFor(rates: readonly WasteRate[], month: string): WasteRate | null {
  const firstDay = `${month}-01`
  let found: WasteRate | null = null
  for (const rate of rates)
    if (rate.validFrom <= firstDay && (!found || rate.validFrom > found.validFrom)) found = rate
  return found
}

export interface WasteMonth {
  month: string
  propertyAddress: string
  declaration: WasteDeclaration
  rate: WasteRate
  fee: MonthlyWasteFee
}

export interface WasteYear {
  year: number
  months: WasteMonth[]
  lines: NewAssessmentLine[]
  /** Statutory due dates and their working-day shift; amounts sum the months each covers. */
  installments: { number: number; statutoryDue: string; due: string; amountGr: number }[]
  totalGr: number
}

function describeLine(entries: WasteMonth[], year: number): string {
  const first = entries[0]
  const { declaration, rate, fee } = first
  const from = Number(first.month.slice(5, 7))
  const to = Number(entries[entries.length - 1].month.slice(5, 7))
  const period =
    from === to
      ? `${MONTH_NAMES[from - 1]} ${year}`
      : `${MONTH_NAMES[from - 1]}–${MONTH_NAMES[to - 1]} ${year}`
  const details = [
    `${formatScaled(fee.quantityE2 * 100, 0)} ${WASTE_UNITS[rate.method]} × ${formatScaled(fee.unitRateE2, 2)} zł = ${formatMoney(fee.amountGr)} miesięcznie`,
  ]
  if (!declaration.sorting)
    details.push(
      `odpady niesegregowane: stawka × ${formatScaled(rate.nonSortingMultiplierPct * 100, 0)}`
    )
  else if (declaration.composting && rate.compostingDiscountE2 > 0)
    details.push(`zwolnienie za kompostownik ${formatScaled(rate.compostingDiscountE2, 2)} zł`)
  return `${first.propertyAddress}, ${period} (${entries.length} mies.): ${details.join('; ')}`
}

/**
 * The waste fee of a taxpayer for a year from all their declarations: for each
 * property and month the latest declaration in effect and the rate in force;
 * lines group the months with the same declaration and rate; installments
 * follow the schedule of the rate in force (monthly: by day DD of the month;
 * quarterly: by day DD of the quarter's last month), shifted to a working day.
 */
export function wasteYear(input: {
  year: number
  declarations: readonly WasteDeclaration[]
  rates: readonly WasteRate[]
}): WasteYear {
  const { year } = input
  const sorted = [...input.declarations].sort(
    (a, b) => a.effectiveMonth.localeCompare(b.effectiveMonth) || (a.id ?? 0) - (b.id ?? 0)
  )
  const addresses = [...new Set(sorted.map((declaration) => declaration.propertyAddress))]
  const months: WasteMonth[] = []
  for (const propertyAddress of addresses) {
    for (let m = 1; m <= 12; m++) {
      const month = `${year}-${String(m).padStart(2, '0')}`
      let declaration: WasteDeclaration | undefined
      for (const candidate of sorted)
        if (candidate.propertyAddress === propertyAddress && candidate.effectiveMonth <= month)
          declaration = candidate
      if (!declaration) continue
      const rate = wasteRateFor(input.rates, month)
      if (!rate)
        throw new WasteFeeError(
          `Brak stawki opłaty za odpady na ${MONTH_NAMES[m - 1]} ${year}. Wprowadź stawki z uchwały rady gminy.`,
          'effectiveMonth'
        )
      months.push({
        month,
        propertyAddress,
        declaration,
        rate,
        fee: monthlyWasteFee(declaration, rate),
      })
    }
  }

  const lines: NewAssessmentLine[] = []
  let group: WasteMonth[] = []
  const flush = () => {
    if (!group.length) return
    const { rate, fee } = group[0]
    lines.push({
      position: lines.length + 1,
      tax: 'waste',
      category: rate.method,
      description: describeLine(group, year),
      unit: WASTE_UNITS[rate.method],
      baseE4: fee.quantityE2 * 100,
      rateE4: fee.unitRateE2,
      amountGr: fee.amountGr * group.length,
    })
    group = []
  }
  for (const entry of months) {
    const previous = group[group.length - 1]
    const same =
      previous &&
      previous.propertyAddress === entry.propertyAddress &&
      previous.declaration === entry.declaration &&
      previous.rate === entry.rate
    if (!same) flush()
    group.push(entry)
  }
  flush()

  const byDate = new Map<string, number>()
  for (const entry of months) {
    const schedule = parseWasteSchedule(entry.rate.schedule)
    if (!schedule)
      throw new WasteFeeError(
        `Stawka od ${entry.rate.validFrom} ma niepoprawny harmonogram płatności.`,
        'schedule'
      )
    const m = Number(entry.month.slice(5, 7))
    const dueMonth = schedule.kind === 'monthly' ? m : Math.ceil(m / 3) * 3
    const statutoryDue = dayInMonth(year, dueMonth, schedule.day)
    byDate.set(statutoryDue, (byDate.get(statutoryDue) ?? 0) + entry.fee.amountGr)
  }
  const installments = [...byDate.entries()]
    .sort(([a], [b]) => a.localeCompare(b))
    .filter(([, amountGr]) => amountGr > 0)
    .map(([statutoryDue, amountGr], index) => ({
      number: index + 1,
      statutoryDue,
      due: nextWorkingDay(statutoryDue),
      amountGr,
    }))
  return {
    year,
    months,
    lines,
    installments,
    totalGr: installments.reduce((sum, installment) => sum + installment.amountGr, 0),
  }
}

/**
 * The installments of a waste assessment replacing an earlier one from a date:
 * those of the earlier assessment due (by statute) before the date stay as they
 * were; the later ones come from the new calculation. Unlike tax corrections the
 * rest is not spread evenly: each month keeps its own amount (rates and
 * declarations change the monthly amount).
 */
export function replacedWasteInstallments(input: {
  previous: NewInstallment[]
  calculated: WasteYear['installments']
  effectiveFrom: string
  issuedOn: string
}): NewInstallment[] {
  const kept = input.previous.filter(
    (installment) => installment.statutoryDue < input.effectiveFrom
  )
  const later = input.calculated
    .filter((installment) => installment.statutoryDue >= input.effectiveFrom)
    .map((installment) => ({ ...installment, existsFrom: input.issuedOn }))
  return [...kept, ...later].map((installment, index) => ({ ...installment, number: index + 1 }))
}

export function wasteRateFromRow(row: any): WasteRate {
  return {
    id: Number(row.id),
    validFrom: row.valid_from,
    method: row.method,
    rateE2: Number(row.rate_e2),
    compostingDiscountE2: Number(row.composting_discount_e2),
    nonSortingMultiplierPct: Number(row.non_sorting_multiplier_pct),
    schedule: row.schedule,
  }
}

function declarationFromRow(row: any): WasteDeclaration & { id: number; filedOn: string } {
  const numberOrNull = (value: unknown) => (value === null ? null : Number(value))
  return {
    id: Number(row.id),
    propertyAddress: row.property_address,
    effectiveMonth: row.effective_month,
    residents: numberOrNull(row.residents),
    waterM3E2: numberOrNull(row.water_m3_e2),
    areaM2E2: numberOrNull(row.area_m2_e2),
    households: numberOrNull(row.households),
    composting: Boolean(row.composting),
    sorting: Boolean(row.sorting),
    filedOn: row.filed_on,
  }
}

export async function wasteRates(client: QueryClientContract = db.connection()) {
  const rows = await client.from('fees_waste_rates').orderBy('valid_from', 'asc')
  return rows.map(wasteRateFromRow)
}

export async function wasteDeclarations(
  taxpayerId: number,
  client: QueryClientContract = db.connection()
) {
  const rows = await client
    .from('fees_waste_declarations')
    .where('taxpayer_id', taxpayerId)
    .orderBy('effective_month', 'asc')
    .orderBy('id', 'asc')
  return rows.map(declarationFromRow)
}

/** Waste-fee assessments of a taxpayer (active and replaced), newest first. */
export async function wasteAssessments(taxpayerId: number) {
  return db
    .from('fees_assessments')
    .where({ taxpayer_id: taxpayerId, kind: 'waste' })
    .orderBy('year', 'desc')
    .orderBy('id', 'desc')
}

async function rebuildWasteYear(
  trx: TransactionClientContract,
  input: {
    taxpayerId: number
    year: number
    effectiveFrom: string
    issuedOn: string
    staffId: number | null
  }
): Promise<number | null> {
  const { taxpayerId, year } = input
  const [declarations, rates] = await Promise.all([
    wasteDeclarations(taxpayerId, trx),
    wasteRates(trx),
  ])
  const calculation = wasteYear({
    year,
    declarations: declarations.filter((declaration) => declaration.effectiveMonth <= `${year}-12`),
    rates,
  })
  const old = await trx
    .from('fees_assessments')
    .where({ taxpayer_id: taxpayerId, year, kind: 'waste', status: 'active' })
    .forUpdate()
    .first()
  let installments: NewInstallment[] = calculation.installments.map((installment) => ({
    ...installment,
    existsFrom: input.issuedOn,
  }))
  if (old) {
    const previous = await trx
      .from('fees_installments')
      .where('assessment_id', old.id)
      .orderBy('number')
    installments = replacedWasteInstallments({
      previous: previous.map((row) => ({
        number: Number(row.number),
        statutoryDue: row.statutory_due,
        due: row.due,
        amountGr: Number(row.amount_gr),
        existsFrom: row.exists_from,
      })),
      calculated: calculation.installments,
      effectiveFrom: input.effectiveFrom,
      issuedOn: input.issuedOn,
    })
    await trx
      .from('fees_assessments')
      .where('id', old.id)
      .update({ status: 'replaced', updated_at: new Date() })
  } else if (calculation.totalGr === 0) {
    return null
  }
  return createAssessment(trx, {
    taxpayerId,
    kind: 'waste',
    year,
    title: old
      ? `Opłata za gospodarowanie odpadami komunalnymi na rok ${year} — zmiana od ${input.effectiveFrom}`
      : `Opłata za gospodarowanie odpadami komunalnymi na rok ${year}`,
    totalGr: installments.reduce((sum, installment) => sum + installment.amountGr, 0),
    lines: calculation.lines,
    installments,
    issuedOn: input.issuedOn,
    replacesId: old ? Number(old.id) : null,
    effectiveFrom: old ? input.effectiveFrom : null,
    staffId: input.staffId,
  })
}

export interface NewWasteDeclaration {
  taxpayerId: number
  propertyAddress: string
  effectiveMonth: string
  residents?: number | null
  waterM3E2?: number | null
  areaM2E2?: number | null
  households?: number | null
  composting: boolean
  sorting: boolean
  filedOn: string
  staffId?: number | null
}

/**
 * Stores an owner's declaration and rebuilds the taxpayer's waste liability
 * from its month on: the year of the declaration and every later year that
 * already has a waste assessment. The assessment in force is replaced; its
 * installments for the months before the declaration stay as they were.
 */
export async function fileWasteDeclaration(
  input: NewWasteDeclaration,
  trx?: TransactionClientContract
): Promise<{ declarationId: number; assessmentIds: number[] }> {
  if (!trx) return db.transaction((tx) => fileWasteDeclaration(input, tx))
  if (!/^\d{4}-(0[1-9]|1[0-2])$/.test(input.effectiveMonth))
    throw new WasteFeeError('Podaj miesiąc w postaci RRRR-MM, np. 2026-03.', 'effectiveMonth')
  if (!(await taxpayers.find(input.taxpayerId, trx)))
    throw new WasteFeeError('Nie ma takiego podatnika.', 'taxpayerId')
  const rate = wasteRateFor(await wasteRates(trx), input.effectiveMonth)
  if (!rate)
    throw new WasteFeeError(
      `Brak stawki opłaty za odpady obowiązującej w ${input.effectiveMonth}. Wprowadź stawki z uchwały rady gminy.`,
      'effectiveMonth'
    )
  const declaration: WasteDeclaration = {
    propertyAddress: input.propertyAddress,
    effectiveMonth: input.effectiveMonth,
    residents: input.residents ?? null,
    waterM3E2: input.waterM3E2 ?? null,
    areaM2E2: input.areaM2E2 ?? null,
    households: input.households ?? null,
    composting: input.composting,
    sorting: input.sorting,
  }
  monthlyWasteFee(declaration, rate)

  const [inserted] = await trx
    .table('fees_waste_declarations')
    .insert({
      taxpayer_id: input.taxpayerId,
      property_address: declaration.propertyAddress,
      effective_month: declaration.effectiveMonth,
      residents: declaration.residents,
      water_m3_e2: declaration.waterM3E2,
      area_m2_e2: declaration.areaM2E2,
      households: declaration.households,
      composting: declaration.composting,
      sorting: declaration.sorting,
      filed_on: input.filedOn,
      created_at: new Date(),
    })
    .returning('id')
  const declarationId = Number(typeof inserted === 'object' ? inserted.id : inserted)

  const firstYear = Number(input.effectiveMonth.slice(0, 4))
  const later = await trx
    .from('fees_assessments')
    .where({ taxpayer_id: input.taxpayerId, kind: 'waste', status: 'active' })
    .where('year', '>', firstYear)
    .max('year as year')
    .first()
  const lastYear = Math.max(firstYear, Number(later?.year ?? 0))
  const assessmentIds: number[] = []
  for (let year = firstYear; year <= lastYear; year++) {
    const id = await rebuildWasteYear(trx, {
      taxpayerId: input.taxpayerId,
      year,
      effectiveFrom: year === firstYear ? `${input.effectiveMonth}-01` : `${year}-01-01`,
      issuedOn: input.filedOn,
      staffId: input.staffId ?? null,
    })
    if (id !== null) assessmentIds.push(id)
  }
  return { declarationId, assessmentIds }
}
