import { createHmac, randomInt } from 'node:crypto'
import db from '@adonisjs/lucid/services/db'
import auditLog, { type AuditInput } from '#core/services/audit_log'
import encryption from '@adonisjs/core/services/encryption'
import env from '#start/env'
import type { TransactionClientContract, QueryClientContract } from '@adonisjs/lucid/types/database'
import OfficeProfile from '#core/models/office_profile'
import officeProfileService from '#core/services/office_profile_service'
import { virtualAccountNumber } from '#payments/services/transfer_data'

export type TaxpayerKind = 'individual' | 'business' | 'joint'

export interface TaxpayerData {
  kind: TaxpayerKind
  name: string
  pesel?: string | null
  nip?: string | null
  regon?: string | null
  street?: string | null
  postalCode?: string | null
  city?: string | null
  email?: string | null
  phone?: string | null
  notes?: string | null
  externalId?: string | null
  /** Members of a joint taxpayer (ids of individual taxpayers). */
  memberIds?: number[]
}

export interface TaxpayerRow {
  id: number
  kind: TaxpayerKind
  name: string
  pesel: string | null
  nip: string | null
  regon: string | null
  street: string | null
  postalCode: string | null
  city: string | null
  email: string | null
  phone: string | null
  accountNumber: string
  notes: string | null
}

export class TaxpayerError extends Error {
  constructor(
    message: string,
    readonly field: string
  ) {
    super(message)
  }
}

/* Access codes avoid letters and digits people confuse (0/O, 1/I/L). */
const CODE_ALPHABET = 'ABCDEFGHJKMNPQRSTUVWXYZ23456789'

/** "Kowalska Anna" → "kowalska anna": lower case without diacritics, for prefix search. */
export function searchName(name: string): string {
  return name
    .normalize('NFD')
    .replace(/[\u0300-\u036f]/g, '')
    .replace(/ł/g, 'l')
    .replace(/Ł/g, 'L')
    .toLowerCase()
    .replace(/\s+/g, ' ')
    .trim()
}

function codeDigest(code: string) {
  return createHmac('sha256', env.get('APP_KEY').release())
    .update(code.replace(/[\s-]/g, '').toUpperCase())
    .digest('hex')
}

export function toTaxpayer(row: any): TaxpayerRow {
  return {
    id: Number(row.id),
    kind: row.kind,
    name: row.name,
    pesel: row.pesel,
    nip: row.nip,
    regon: row.regon,
    street: row.street,
    postalCode: row.postal_code,
    city: row.city,
    email: row.email,
    phone: row.phone,
    accountNumber: row.account_number,
    notes: row.notes,
  }
}

function columns(data: TaxpayerData) {
  return {
    kind: data.kind,
    name: data.name.trim(),
    search_name: searchName(data.name),
    pesel: data.pesel || null,
    nip: data.nip || null,
    regon: data.regon || null,
    street: data.street || null,
    postal_code: data.postalCode || null,
    city: data.city || null,
    email: data.email || null,
    phone: data.phone || null,
    notes: data.notes || null,
  }
}

/** The taxpayer register (ewidencja podatników). */
export const taxpayers = {
  async find(
    id: number,
    client: QueryClientContract = db.connection()
  ): Promise<TaxpayerRow | null> {
    const row = await client.from('fees_taxpayers').where('id', id).first()
    return row ? toTaxpayer(row) : null
  },

  /**
   * Creates a taxpayer with its individual account number, in the caller's
   * transaction when given. PESEL and NIP must be unique in the register.
   */
  async create(data: TaxpayerData, trx?: TransactionClientContract): Promise<TaxpayerRow> {
    const run = async (client: TransactionClientContract, office: OfficeProfile | null) => {
      for (const field of ['pesel', 'nip'] as const) {
        const value = data[field]
        if (value && (await client.from('fees_taxpayers').where(field, value).first()))
          throw new TaxpayerError(
            `Podatnik z tym numerem ${field.toUpperCase()} jest już w ewidencji.`,
            field
          )
      }
      if (!office)
        throw new TaxpayerError('Najpierw uzupełnij dane urzędu (numer rachunku).', 'office')
      const now = new Date()
      /* The account number needs the id: insert with a unique placeholder, then set it. */
      const placeholder = `tmp${Date.now()}${randomInt(1e9)}`.slice(0, 26)
      const [inserted] = await client
        .table('fees_taxpayers')
        .insert({
          ...columns(data),
          account_number: placeholder,
          external_id: data.externalId || null,
          created_at: now,
          updated_at: now,
        })
        .returning('id')
      const id = Number(typeof inserted === 'object' ? inserted.id : inserted)
      await client
        .from('fees_taxpayers')
        .where('id', id)
        .update({ account_number: virtualAccountNumber(office.bankAccount, id) })
      if (data.kind === 'joint') await this.setMembers(id, data.memberIds ?? [], client)
      return toTaxpayer(await client.from('fees_taxpayers').where('id', id).firstOrFail())
    }
    /* SQLite has one connection: inside a transaction, read through it, never beside it. */
    if (trx) return run(trx, await OfficeProfile.query({ client: trx }).orderBy('id').first())
    const office = await officeProfileService.get()
    return db.transaction((client) => run(client, office))
  },

  async update(
    id: number,
    data: TaxpayerData,
    client?: TransactionClientContract,
    /** The entry commits with the change. */
    audit?: AuditInput
  ): Promise<TaxpayerRow> {
    const run = async (trx: TransactionClientContract) => {
      for (const field of ['pesel', 'nip'] as const) {
        const value = data[field]
        if (
          value &&
          (await trx.from('fees_taxpayers').where(field, value).whereNot('id', id).first())
        )
          throw new TaxpayerError(
            `Podatnik z tym numerem ${field.toUpperCase()} jest już w ewidencji.`,
            field
          )
      }
      await trx
        .from('fees_taxpayers')
        .where('id', id)
        .update({ ...columns(data), updated_at: new Date() })
      /* No longer joint: former co-owners (and their e-BOK accounts) must stop seeing it. */
      if (data.kind === 'joint') await this.setMembers(id, data.memberIds ?? [], trx)
      else await trx.from('fees_taxpayer_members').where('joint_id', id).delete()
      if (audit) await auditLog.record(audit, trx)
      return toTaxpayer(await trx.from('fees_taxpayers').where('id', id).firstOrFail())
    }
    return client ? run(client) : db.transaction(run)
  },

  async setMembers(jointId: number, memberIds: number[], client: QueryClientContract) {
    const unique = [...new Set(memberIds)].filter((memberId) => memberId !== jointId)
    if (unique.length < 2)
      throw new TaxpayerError(
        'Współwłasność wymaga co najmniej dwóch współwłaścicieli.',
        'memberIds'
      )
    const found = await client
      .from('fees_taxpayers')
      .whereIn('id', unique)
      .where('kind', 'individual')
      .select('id')
    if (found.length !== unique.length)
      throw new TaxpayerError(
        'Współwłaścicielem może być tylko osoba fizyczna z ewidencji.',
        'memberIds'
      )
    await client.from('fees_taxpayer_members').where('joint_id', jointId).delete()
    await client
      .table('fees_taxpayer_members')
      .multiInsert(unique.map((memberId) => ({ joint_id: jointId, member_id: memberId })))
  },

  async members(jointId: number): Promise<TaxpayerRow[]> {
    const rows = await db
      .from('fees_taxpayers as t')
      .join('fees_taxpayer_members as m', 'm.member_id', 't.id')
      .where('m.joint_id', jointId)
      .select('t.*')
      .orderBy('t.search_name')
    return rows.map(toTaxpayer)
  },

  /**
   * Search by name prefix (surname first), PESEL, NIP, account number or
   * address fragment; digits decide which identifier is meant.
   */
  async search(query: string, limit = 50): Promise<TaxpayerRow[]> {
    const text = query.trim()
    if (text.length === 0) return []
    const digits = text.replace(/[\s-]/g, '')
    const builder = db.from('fees_taxpayers').orderBy('search_name').orderBy('id').limit(limit)
    if (/^\d+$/.test(digits)) {
      if (digits.length === 11) builder.where('pesel', digits)
      else if (digits.length === 10) builder.where('nip', digits)
      else if (digits.length === 26) builder.where('account_number', digits)
      else if (digits.length >= 3) builder.where('account_number', 'like', `%${digits}`)
      else return []
    } else if (/\d/.test(text) || /^(ul\.|al\.|os\.)/i.test(text)) {
      builder.whereRaw('lower(street) like ?', [`%${text.toLowerCase()}%`])
    } else {
      const prefix = searchName(text)
      /* A range instead of LIKE keeps the index usable on both engines. */
      builder.where('search_name', '>=', prefix).where('search_name', '<', `${prefix}\uffff`)
    }
    const rows = await builder
    return rows.map(toTaxpayer)
  },

  /** A new access code for the decision; the old one stops working. Returns the code in clear, once. */
  async issueAccessCode(
    id: number,
    client: QueryClientContract = db.connection()
  ): Promise<string> {
    const raw = Array.from(
      { length: 12 },
      () => CODE_ALPHABET[randomInt(CODE_ALPHABET.length)]
    ).join('')
    const code = `${raw.slice(0, 4)}-${raw.slice(4, 8)}-${raw.slice(8)}`
    await client
      .from('fees_taxpayers')
      .where('id', id)
      .update({ access_code: encryption.encrypt(code), access_code_digest: codeDigest(code) })
    return code
  },

  /** The access code printed on the last decision, for reprinting. */
  async accessCode(id: number): Promise<string | null> {
    const row = await db.from('fees_taxpayers').where('id', id).select('access_code').first()
    return row?.access_code ? (encryption.decrypt<string>(row.access_code) ?? null) : null
  },

  /** Links a resident account by the code printed on a decision; null when the code matches nobody. */
  /** `audit` gets the taxpayer's id once found; the entry commits with the link. */
  async linkByCode(
    residentId: number,
    code: string,
    audit?: (taxpayerId: number) => AuditInput
  ): Promise<TaxpayerRow | null> {
    const row = await db
      .from('fees_taxpayers')
      .where('access_code_digest', codeDigest(code))
      .first()
    if (!row) return null
    await this.link(Number(row.id), residentId, 'code', null, audit?.(Number(row.id)))
    return toTaxpayer(row)
  },

  async link(
    taxpayerId: number,
    residentId: number,
    method: 'code' | 'clerk',
    staffId: number | null,
    audit?: AuditInput
  ) {
    await db.transaction(async (trx) => {
      const existing = await trx
        .from('fees_taxpayer_links')
        .where({ taxpayer_id: taxpayerId, resident_id: residentId })
        .first()
      if (!existing)
        await trx.table('fees_taxpayer_links').insert({
          taxpayer_id: taxpayerId,
          resident_id: residentId,
          method,
          linked_by_staff_id: staffId,
          created_at: new Date(),
        })
      if (audit) await auditLog.record(audit, trx)
    })
  },

  async unlink(taxpayerId: number, residentId: number, audit?: AuditInput) {
    await db.transaction(async (trx) => {
      await trx
        .from('fees_taxpayer_links')
        .where({ taxpayer_id: taxpayerId, resident_id: residentId })
        .delete()
      if (audit) await auditLog.record(audit, trx)
    })
  },

  /** Taxpayers a resident may see: linked ones and the joint ones they are a member of. */
  async visibleTo(residentId: number): Promise<TaxpayerRow[]> {
    const linked = db
      .from('fees_taxpayer_links')
      .where('resident_id', residentId)
      .select('taxpayer_id')
    const rows = await db
      .from('fees_taxpayers')
      .where((query) =>
        query
          .whereIn('id', linked)
          .orWhereIn(
            'id',
            db.from('fees_taxpayer_members').whereIn('member_id', linked).select('joint_id')
          )
      )
      .orderBy('kind')
      .orderBy('id')
    return rows.map(toTaxpayer)
  },

  async residentsLinkedTo(
    taxpayerId: number
  ): Promise<{ id: number; email: string; fullName: string }[]> {
    const direct = db
      .from('fees_taxpayer_members')
      .where('joint_id', taxpayerId)
      .select('member_id')
    const rows = await db
      .from('residents as r')
      .join('fees_taxpayer_links as l', 'l.resident_id', 'r.id')
      .where((query) => query.where('l.taxpayer_id', taxpayerId).orWhereIn('l.taxpayer_id', direct))
      .distinct('r.id', 'r.email', 'r.full_name')
    return rows.map((row) => ({ id: Number(row.id), email: row.email, fullName: row.full_name }))
  },
}
