import db from '@adonisjs/lucid/services/db'
import type { TransactionClientContract } from '@adonisjs/lucid/types/database'
import { findCategory, type TaxKind } from '#fees/services/tax_categories'

export interface TaxObjectData {
  tax: TaxKind
  category: string
  description: string
  location: string | null
  baseE4: number
  /** Agricultural land: physical hectares (× 10^4) and soil class, printed in the calculation basis. */
  physicalAreaE4: number | null
  landClass: string | null
  validFrom: string
  validTo: string | null
}

export interface TaxObjectRow extends TaxObjectData {
  id: number
  taxpayerId: number
}

export class TaxObjectError extends Error {
  constructor(
    message: string,
    readonly field: string
  ) {
    super(message)
  }
}

function toRow(row: any): TaxObjectRow {
  return {
    id: Number(row.id),
    taxpayerId: Number(row.taxpayer_id),
    tax: row.tax,
    category: row.category,
    description: row.description,
    location: row.location,
    baseE4: Number(row.base_e4),
    physicalAreaE4: row.physical_area_e4 === null ? null : Number(row.physical_area_e4),
    landClass: row.land_class,
    validFrom: row.valid_from,
    validTo: row.valid_to,
  }
}

function columns(data: TaxObjectData) {
  const category = findCategory(data.category)
  if (!category || category.tax !== data.tax)
    throw new TaxObjectError('Ta kategoria nie należy do wybranego podatku.', 'category')
  if (data.validTo && data.validTo < data.validFrom)
    throw new TaxObjectError(
      'Data końca opodatkowania nie może być wcześniejsza niż data początku.',
      'validTo'
    )
  const agricultural = data.tax === 'agricultural'
  return {
    tax: data.tax,
    category: data.category,
    description: data.description,
    location: data.location || null,
    base_e4: data.baseE4,
    physical_area_e4: agricultural ? data.physicalAreaE4 : null,
    land_class: agricultural ? data.landClass || null : null,
    valid_from: data.validFrom,
    valid_to: data.validTo || null,
  }
}

/** Objects of taxation (przedmioty opodatkowania) a taxpayer holds: land, buildings, structures, farmland, forest. */
export const taxObjects = {
  async of(taxpayerId: number): Promise<TaxObjectRow[]> {
    const rows = await db
      .from('fees_tax_objects')
      .where('taxpayer_id', taxpayerId)
      .orderBy('valid_from')
      .orderBy('id')
    return rows.map(toRow)
  },

  async find(id: number): Promise<TaxObjectRow | null> {
    const row = await db.from('fees_tax_objects').where('id', id).first()
    return row ? toRow(row) : null
  },

  async create(
    taxpayerId: number,
    data: TaxObjectData,
    trx: TransactionClientContract
  ): Promise<number> {
    const now = new Date()
    const [inserted] = await trx
      .table('fees_tax_objects')
      .insert({ ...columns(data), taxpayer_id: taxpayerId, created_at: now, updated_at: now })
      .returning('id')
    return Number(typeof inserted === 'object' ? inserted.id : inserted)
  },

  async update(id: number, data: TaxObjectData, trx: TransactionClientContract) {
    await trx
      .from('fees_tax_objects')
      .where('id', id)
      .update({ ...columns(data), updated_at: new Date() })
  },

  /** The object left the taxpayer (sold, demolished): taxed up to the end of that month. */
  async end(id: number, validTo: string, trx: TransactionClientContract) {
    const row = await trx.from('fees_tax_objects').where('id', id).first()
    if (!row) throw new TaxObjectError('Nie ma takiego przedmiotu opodatkowania.', 'id')
    if (validTo < row.valid_from)
      throw new TaxObjectError(
        'Data końca opodatkowania nie może być wcześniejsza niż data początku.',
        'validTo'
      )
    await trx
      .from('fees_tax_objects')
      .where('id', id)
      .update({ valid_to: validTo, updated_at: new Date() })
  },
}
