import db from '@adonisjs/lucid/services/db'
import type { TransactionClientContract } from '@adonisjs/lucid/types/database'
import { TAX_CATEGORIES } from '#fees/services/tax_categories'
import { isoDate } from '#fees/services/interest_rates'
import { feeTypeFromRow, type FeeType } from '#fees/services/other_fees'
import { wasteRateFromRow, type WasteMethod, type WasteRate } from '#fees/services/waste_fee'

/*
 * The treasurer's rules as data: rates of the council resolutions per year,
 * the statutory interest table and threshold, waste-fee rates per period and
 * the other fee types. Writes run in the caller's transaction, next to the
 * audit entry that records them.
 */

export const THRESHOLD_KEY = 'fees.interest_threshold_gr'

export class ConfigurationError extends Error {
  constructor(
    message: string,
    readonly field: string
  ) {
    super(message)
  }
}

export interface TaxRateRow {
  category: string
  rateE4: number
  resolution: string | null
}

export const taxRateTable = {
  /** The year's rates by category code. */
  async forYear(year: number): Promise<Map<string, TaxRateRow>> {
    const rows = await db.from('fees_tax_rates').where('year', year)
    return new Map(
      rows.map((row) => [
        row.category,
        { category: row.category, rateE4: Number(row.rate_e4), resolution: row.resolution },
      ])
    )
  },

  /** Years that have any rate, newest first. */
  async years(): Promise<number[]> {
    const rows = await db.from('fees_tax_rates').distinct('year').orderBy('year', 'desc')
    return rows.map((row) => Number(row.year))
  },

  /**
   * Stores the year's rates: a category left empty has no rate that year.
   * Returns the categories whose rate changed (code, before, after).
   */
  async save(
    trx: TransactionClientContract,
    input: { year: number; resolution: string | null; rates: Record<string, number | null> }
  ) {
    const existing = await trx.from('fees_tax_rates').where('year', input.year).forUpdate()
    const byCategory = new Map(existing.map((row) => [row.category, row]))
    const changed: { category: string; from: number | null; to: number | null }[] = []
    const now = new Date()
    for (const category of TAX_CATEGORIES) {
      const rateE4 = input.rates[category.code] ?? null
      const row = byCategory.get(category.code)
      const before = row ? Number(row.rate_e4) : null
      if (before !== rateE4) changed.push({ category: category.code, from: before, to: rateE4 })
      if (rateE4 === null) {
        if (row) await trx.from('fees_tax_rates').where('id', row.id).delete()
      } else if (row) {
        await trx.from('fees_tax_rates').where('id', row.id).update({
          rate_e4: rateE4,
          resolution: input.resolution,
          label: category.label,
          updated_at: now,
        })
      } else {
        await trx.table('fees_tax_rates').insert({
          year: input.year,
          tax: category.tax,
          category: category.code,
          label: category.label,
          unit: category.unit,
          rate_e4: rateE4,
          resolution: input.resolution,
          created_at: now,
          updated_at: now,
        })
      }
    }
    return changed
  },

  /** Copies last year's rates into the categories that have none this year; returns how many. */
  async copyFromPrevious(trx: TransactionClientContract, year: number): Promise<number> {
    const [previous, current] = await Promise.all([
      trx.from('fees_tax_rates').where('year', year - 1),
      trx.from('fees_tax_rates').where('year', year),
    ])
    if (previous.length === 0)
      throw new ConfigurationError(`Na rok ${year - 1} nie ma stawek do skopiowania.`, 'year')
    const taken = new Set(current.map((row) => row.category))
    const now = new Date()
    const rows = previous
      .filter((row) => !taken.has(row.category))
      .map((row) => ({
        year,
        tax: row.tax,
        category: row.category,
        label: row.label,
        unit: row.unit,
        rate_e4: row.rate_e4,
        resolution: null,
        created_at: now,
        updated_at: now,
      }))
    if (rows.length) await trx.table('fees_tax_rates').multiInsert(rows)
    return rows.length
  },
}

export interface InterestRateRow {
  id: number
  effectiveFrom: string
  standardBp: number
  note: string | null
}

export interface ThresholdRow {
  id: number
  effectiveFrom: string
  amountGr: number
}

function interestRow(row: any): InterestRateRow {
  return {
    id: Number(row.id),
    effectiveFrom: isoDate(row.effective_from),
    standardBp: Number(row.standard_rate_bp),
    note: row.note ?? null,
  }
}

async function takenDate(
  trx: TransactionClientContract,
  table: string,
  column: string,
  value: string,
  exceptId: number | null,
  extra: Record<string, string> = {}
) {
  const query = trx.from(table).where(column, value).where(extra)
  if (exceptId !== null) query.whereNot('id', exceptId)
  return Boolean(await query.first())
}

export const interestTable = {
  async list(): Promise<InterestRateRow[]> {
    const rows = await db.from('fees_interest_rates').orderBy('effective_from', 'desc')
    return rows.map(interestRow)
  },

  async find(id: number): Promise<InterestRateRow | null> {
    const row = await db.from('fees_interest_rates').where('id', id).first()
    return row ? interestRow(row) : null
  },

  async add(
    trx: TransactionClientContract,
    input: { effectiveFrom: string; standardBp: number; note: string | null }
  ): Promise<number> {
    if (await takenDate(trx, 'fees_interest_rates', 'effective_from', input.effectiveFrom, null))
      throw new ConfigurationError(
        'Stawka od tego dnia już jest w tabeli. Popraw istniejący wiersz.',
        'effectiveFrom'
      )
    const now = new Date()
    const [inserted] = await trx
      .table('fees_interest_rates')
      .insert({
        effective_from: input.effectiveFrom,
        standard_rate_bp: input.standardBp,
        note: input.note,
        created_at: now,
        updated_at: now,
      })
      .returning('id')
    return Number(typeof inserted === 'object' ? inserted.id : inserted)
  },

  /** Corrects a row; returns it as it was before. */
  async correct(
    trx: TransactionClientContract,
    id: number,
    input: { effectiveFrom: string; standardBp: number; note: string | null }
  ): Promise<InterestRateRow> {
    const row = await trx.from('fees_interest_rates').where('id', id).forUpdate().first()
    if (!row) throw new ConfigurationError('Nie ma takiego wiersza tabeli.', 'effectiveFrom')
    if (await takenDate(trx, 'fees_interest_rates', 'effective_from', input.effectiveFrom, id))
      throw new ConfigurationError('Inny wiersz tabeli ma już tę datę.', 'effectiveFrom')
    await trx.from('fees_interest_rates').where('id', id).update({
      effective_from: input.effectiveFrom,
      standard_rate_bp: input.standardBp,
      note: input.note,
      updated_at: new Date(),
    })
    return interestRow(row)
  },

  async thresholds(): Promise<ThresholdRow[]> {
    const rows = await db
      .from('settings')
      .where('key', THRESHOLD_KEY)
      .orderBy('effective_from', 'desc')
    return rows.map((row) => ({
      id: Number(row.id),
      effectiveFrom: isoDate(row.effective_from),
      amountGr: Number(row.value),
    }))
  },

  /** The threshold from a day on; a second entry for the same day replaces the first. */
  async setThreshold(
    trx: TransactionClientContract,
    input: { effectiveFrom: string; amountGr: number }
  ): Promise<number | null> {
    const existing = await trx
      .from('settings')
      .where({ key: THRESHOLD_KEY, effective_from: input.effectiveFrom })
      .first()
    const now = new Date()
    if (existing) {
      await trx
        .from('settings')
        .where('id', existing.id)
        .update({ value: String(input.amountGr), updated_at: now })
      return Number(existing.value)
    }
    await trx.table('settings').insert({
      key: THRESHOLD_KEY,
      effective_from: input.effectiveFrom,
      value: String(input.amountGr),
      created_at: now,
      updated_at: now,
    })
    return null
  },
}

export interface WasteRateInput {
  validFrom: string
  method: WasteMethod
  rateE2: number
  compostingDiscountE2: number
  nonSortingMultiplierPct: number
  schedule: string
  resolution: string | null
}

function wasteColumns(input: WasteRateInput) {
  return {
    valid_from: input.validFrom,
    method: input.method,
    rate_e2: input.rateE2,
    composting_discount_e2: input.compostingDiscountE2,
    non_sorting_multiplier_pct: input.nonSortingMultiplierPct,
    schedule: input.schedule,
    resolution: input.resolution,
  }
}

export const wasteRateTable = {
  /** Newest first, with the resolution. */
  async list(): Promise<(WasteRate & { resolution: string | null })[]> {
    const rows = await db.from('fees_waste_rates').orderBy('valid_from', 'desc')
    return rows.map((row) => ({ ...wasteRateFromRow(row), resolution: row.resolution ?? null }))
  },

  async find(id: number) {
    const row = await db.from('fees_waste_rates').where('id', id).first()
    return row ? { ...wasteRateFromRow(row), resolution: (row.resolution as string) ?? null } : null
  },

  async add(trx: TransactionClientContract, input: WasteRateInput): Promise<number> {
    if (await takenDate(trx, 'fees_waste_rates', 'valid_from', input.validFrom, null))
      throw new ConfigurationError(
        'Stawka od tego miesiąca już jest w tabeli. Popraw istniejący wiersz.',
        'validFrom'
      )
    const now = new Date()
    const [inserted] = await trx
      .table('fees_waste_rates')
      .insert({ ...wasteColumns(input), created_at: now, updated_at: now })
      .returning('id')
    return Number(typeof inserted === 'object' ? inserted.id : inserted)
  },

  async correct(trx: TransactionClientContract, id: number, input: WasteRateInput) {
    const row = await trx.from('fees_waste_rates').where('id', id).forUpdate().first()
    if (!row) throw new ConfigurationError('Nie ma takiej stawki.', 'validFrom')
    if (await takenDate(trx, 'fees_waste_rates', 'valid_from', input.validFrom, id))
      throw new ConfigurationError('Inna stawka obowiązuje już od tego miesiąca.', 'validFrom')
    await trx
      .from('fees_waste_rates')
      .where('id', id)
      .update({ ...wasteColumns(input), updated_at: new Date() })
    return row
  },
}

export interface FeeTypeInput {
  code: string
  name: string
  amountRule: 'fixed' | 'per_unit'
  amountGr: number
  unitLabel: string | null
  schedule: string
  rounding: 'none' | 'zloty'
  isActive: boolean
}

function feeTypeColumns(input: FeeTypeInput) {
  return {
    code: input.code,
    name: input.name,
    amount_rule: input.amountRule,
    amount_gr: input.amountGr,
    unit_label: input.amountRule === 'per_unit' ? input.unitLabel : null,
    schedule: input.schedule,
    rounding: input.rounding,
    is_active: input.isActive,
  }
}

export const feeTypeTable = {
  async find(id: number): Promise<FeeType | null> {
    const row = await db.from('fees_fee_types').where('id', id).first()
    return row ? feeTypeFromRow(row) : null
  },

  async create(trx: TransactionClientContract, input: FeeTypeInput): Promise<number> {
    if (await takenDate(trx, 'fees_fee_types', 'code', input.code, null))
      throw new ConfigurationError('Opłata o tym kodzie już istnieje.', 'code')
    const now = new Date()
    const [inserted] = await trx
      .table('fees_fee_types')
      .insert({ ...feeTypeColumns(input), created_at: now, updated_at: now })
      .returning('id')
    return Number(typeof inserted === 'object' ? inserted.id : inserted)
  },

  /** Returns the row as it was. Assessed fees keep their amounts: they were copied to the assessment. */
  async update(trx: TransactionClientContract, id: number, input: FeeTypeInput) {
    const row = await trx.from('fees_fee_types').where('id', id).forUpdate().first()
    if (!row) throw new ConfigurationError('Nie ma takiego rodzaju opłaty.', 'code')
    if (await takenDate(trx, 'fees_fee_types', 'code', input.code, id))
      throw new ConfigurationError('Inna opłata ma już ten kod.', 'code')
    await trx
      .from('fees_fee_types')
      .where('id', id)
      .update({ ...feeTypeColumns(input), updated_at: new Date() })
    return feeTypeFromRow(row)
  },
}
