import db from '@adonisjs/lucid/services/db'
import type { TransactionClientContract } from '@adonisjs/lucid/types/database'
import auditLog, { type AuditContext } from '#core/services/audit_log'
import { parseIsoDate } from '#core/services/calendar'
import { interestRulesAt, ledgerOf } from '#fees/services/ledger_store'

export class BookingError extends Error {
  constructor(
    message: string,
    readonly field: string
  ) {
    super(message)
  }
}

export type PaymentSource = 'bank' | 'cash' | 'online' | 'manual' | 'import'

export interface PaymentInput {
  /** Either the taxpayer or the individual account number the money came to. */
  taxpayerId?: number | null
  accountNumber?: string | null
  amountGr: number
  /** The day the payer's account was debited (or paid at the till). */
  paidOn: string
  source: PaymentSource
  title?: string | null
  reference?: string | null
  /** The liability the payer named; when absent it is looked for in the title (decision number). */
  namedAssessmentId?: number | null
  /** The same bank line or gateway notification books once. */
  idempotencyKey: string
  staffId?: number | null
  /** Who booked it: the audit entry commits with the payment, or neither does. */
  audit?: AuditContext
}

export interface BookedPayment {
  paymentId: number
  taxpayerId: number
  /** False when the idempotency key was already booked: nothing new was written. */
  created: boolean
}

/* Replaying up to here sees every booking, whatever date it carries. */
const LAST_DAY = '9999-12-31'

function validDate(value: string, field: string) {
  if (parseIsoDate(value) !== value)
    throw new BookingError(`Data „${value}” jest nieprawidłowa (oczekiwano RRRR-MM-DD).`, field)
}

/**
 * Bookings on the taxpayer's ledger. The payments module books money through
 * bookPayment; allocation happens in the ledger replay, so a booking is one row
 * and never leaves the ledger half-written.
 */
export const bookings = {
  /** Books in the caller's transaction when one is given (bulk imports, demo data). */
  async bookPayment(
    input: PaymentInput,
    client?: TransactionClientContract
  ): Promise<BookedPayment> {
    if (!Number.isSafeInteger(input.amountGr) || input.amountGr <= 0)
      throw new BookingError('Kwota wpłaty musi być większa od zera.', 'amount')
    validDate(input.paidOn, 'paidOn')
    if (!input.idempotencyKey)
      throw new BookingError('Brak klucza idempotencji wpłaty.', 'idempotencyKey')

    const run = async (trx: TransactionClientContract): Promise<BookedPayment> => {
      const existing = await trx
        .from('fees_payments')
        .where('idempotency_key', input.idempotencyKey)
        .first()
      if (existing) {
        /* A payment committed without its entry before bookings audited in their transaction. */
        if (input.audit && !(await paymentAudited(trx, Number(existing.id))))
          await auditPayment(trx, input.audit, existing)
        return {
          paymentId: Number(existing.id),
          taxpayerId: Number(existing.taxpayer_id),
          created: false,
        }
      }

      const taxpayer = input.taxpayerId
        ? await trx.from('fees_taxpayers').where('id', input.taxpayerId).first()
        : input.accountNumber
          ? await trx
              .from('fees_taxpayers')
              .where('account_number', input.accountNumber.replace(/\D/g, ''))
              .first()
          : null
      if (!taxpayer) throw new BookingError('Nie znaleziono podatnika dla tej wpłaty.', 'taxpayer')

      let named = input.namedAssessmentId ?? null
      if (named) {
        const assessment = await trx
          .from('fees_assessments')
          .where({ id: named, taxpayer_id: taxpayer.id })
          .first()
        if (!assessment)
          throw new BookingError(
            'Wskazana decyzja nie należy do tego podatnika.',
            'namedAssessmentId'
          )
      } else if (input.title) {
        /* A replaced decision's number still names the liability: the ledger follows it to the correction. */
        const numbers = await trx
          .from('fees_assessments')
          .where('taxpayer_id', taxpayer.id)
          .whereNot('status', 'cancelled')
          .select('id', 'number')
        const title = input.title.toUpperCase().replace(/\s+/g, '')
        const found = numbers
          .filter((row) => title.includes(String(row.number).toUpperCase()))
          .sort((a, b) => String(b.number).length - String(a.number).length)[0]
        named = found ? Number(found.id) : null
      }
      const [inserted] = await trx
        .table('fees_payments')
        .insert({
          taxpayer_id: taxpayer.id,
          amount_gr: input.amountGr,
          paid_on: input.paidOn,
          source: input.source,
          title: input.title?.slice(0, 300) ?? null,
          reference: input.reference?.slice(0, 120) ?? null,
          named_assessment_id: named,
          idempotency_key: input.idempotencyKey,
          staff_id: input.staffId ?? null,
          created_at: new Date(),
        })
        .returning('id')
      const paymentId = Number(typeof inserted === 'object' ? inserted.id : inserted)
      if (input.audit)
        await auditPayment(trx, input.audit, {
          id: paymentId,
          taxpayer_id: taxpayer.id,
          amount_gr: input.amountGr,
          paid_on: input.paidOn,
        })
      return { paymentId, taxpayerId: Number(taxpayer.id), created: true }
    }
    if (client) return run(client)
    try {
      return await db.transaction(run)
    } catch (error) {
      /* The same bank line booked at the same moment by another process: the unique key kept one row. */
      const existing = await db
        .from('fees_payments')
        .where('idempotency_key', input.idempotencyKey)
        .first()
      if (!existing) throw error
      return {
        paymentId: Number(existing.id),
        taxpayerId: Number(existing.taxpayer_id),
        created: false,
      }
    }
  },

  /** Writes off (odpis) part of an installment, e.g. after a remission decision. */
  async writeOff(input: {
    installmentId: number
    amountGr: number
    bookedOn: string
    description: string
    staffId?: number | null
    audit?: AuditContext
  }) {
    validDate(input.bookedOn, 'bookedOn')
    if (!Number.isSafeInteger(input.amountGr) || input.amountGr <= 0)
      throw new BookingError('Kwota odpisu musi być większa od zera.', 'amount')
    /* Read before the transaction: on SQLite it holds the only connection. */
    const [rulesThen, rulesAfter] = await Promise.all([
      interestRulesAt(input.bookedOn),
      interestRulesAt(LAST_DAY),
    ])
    await db.transaction(async (trx) => {
      const installment = await trx
        .from('fees_installments')
        .where('id', input.installmentId)
        .first()
      if (!installment) throw new BookingError('Nie ma takiej raty.', 'installmentId')
      const taxpayerId = Number(installment.taxpayer_id)
      await trx.from('fees_taxpayers').where('id', taxpayerId).forUpdate().first()
      const ledger = await ledgerOf(taxpayerId, input.bookedOn, trx, rulesThen)
      const state = ledger.installments.find((row) => row.id === input.installmentId)
      if (!state || input.amountGr > state.outstandingGr)
        throw new BookingError('Kwota odpisu przekracza zaległość tej raty.', 'amount')
      await insertLedgerEntry(trx, {
        ...input,
        taxpayerId,
        kind: 'write_off',
        installmentId: input.installmentId,
      })
      /* A write-off dated before another one must not leave the later one nothing to write off. */
      const booked = await bookedTotal(trx, {
        kind: 'write_off',
        installment_id: input.installmentId,
      })
      const after = await ledgerOf(taxpayerId, LAST_DAY, trx, rulesAfter)
      const writtenOff = after.installments.find((row) => row.id === input.installmentId)
      if (!writtenOff || writtenOff.writtenOffGr !== booked)
        throw new BookingError('Kwota odpisu przekracza zaległość tej raty.', 'amount')
      await auditLog.recordFor(
        input.audit,
        {
          action: 'fees.installment_written_off',
          subjectType: 'fees_installment',
          subjectId: input.installmentId,
          details: { taxpayerId, amountGr: input.amountGr, bookedOn: input.bookedOn },
        },
        trx
      )
    })
  },

  /** Refunds an overpayment on the taxpayer's request; never more than the credit. */
  async refund(input: {
    taxpayerId: number
    amountGr: number
    bookedOn: string
    description: string
    staffId?: number | null
    audit?: AuditContext
  }) {
    validDate(input.bookedOn, 'bookedOn')
    /* Read before the transaction: on SQLite it holds the only connection. */
    const [rulesThen, rulesAfter] = await Promise.all([
      interestRulesAt(input.bookedOn),
      interestRulesAt(LAST_DAY),
    ])
    return db.transaction(async (trx) => {
      await trx.from('fees_taxpayers').where('id', input.taxpayerId).forUpdate().first()
      const ledger = await ledgerOf(input.taxpayerId, input.bookedOn, trx, rulesThen)
      if (
        !Number.isSafeInteger(input.amountGr) ||
        input.amountGr <= 0 ||
        input.amountGr > ledger.totals.creditGr
      )
        throw new BookingError(
          'Kwota zwrotu musi być dodatnia i nie większa niż nadpłata.',
          'amount'
        )
      await insertLedgerEntry(trx, { ...input, kind: 'refund' })
      /* The credit of that day may be spoken for by a refund dated later: every refund must still be covered. */
      const booked = await bookedTotal(trx, { kind: 'refund', taxpayer_id: input.taxpayerId })
      const after = await ledgerOf(input.taxpayerId, LAST_DAY, trx, rulesAfter)
      if (after.totals.refundedGr !== booked)
        throw new BookingError(
          'Kwota zwrotu musi być dodatnia i nie większa niż nadpłata.',
          'amount'
        )
      await auditLog.recordFor(
        input.audit,
        {
          action: 'fees.overpayment_refunded',
          subjectType: 'fees_taxpayer',
          subjectId: input.taxpayerId,
          details: { amountGr: input.amountGr, bookedOn: input.bookedOn },
        },
        trx
      )
    })
  },
}

async function paymentAudited(trx: TransactionClientContract, paymentId: number) {
  const entry = await trx
    .from('audit_entries')
    .where({ subject_type: 'fees_payment', subject_id: String(paymentId) })
    .where('action', 'fees.payment_booked')
    .first()
  return Boolean(entry)
}

async function auditPayment(
  trx: TransactionClientContract,
  audit: AuditContext,
  payment: {
    id: number | string
    taxpayer_id: number | string
    amount_gr: number | string
    paid_on: string
  }
) {
  await auditLog.recordFor(
    audit,
    {
      action: 'fees.payment_booked',
      subjectType: 'fees_payment',
      subjectId: Number(payment.id),
      details: {
        taxpayerId: Number(payment.taxpayer_id),
        amountGr: Number(payment.amount_gr),
        paidOn: String(payment.paid_on).slice(0, 10),
      },
    },
    trx
  )
}

/** One row of the ledger's own entries: write-off, refund or reminder cost. */
export async function insertLedgerEntry(
  trx: TransactionClientContract,
  entry: {
    taxpayerId: number
    kind: 'write_off' | 'refund' | 'reminder_cost'
    installmentId?: number | null
    reminderId?: number | null
    amountGr: number
    bookedOn: string
    description: string
    staffId?: number | null
  }
) {
  await trx.table('fees_ledger_entries').insert({
    taxpayer_id: entry.taxpayerId,
    kind: entry.kind,
    installment_id: entry.installmentId ?? null,
    ...(entry.reminderId ? { reminder_id: entry.reminderId } : {}),
    amount_gr: entry.amountGr,
    booked_on: entry.bookedOn,
    description: entry.description.slice(0, 300),
    staff_id: entry.staffId ?? null,
    created_at: new Date(),
  })
}

async function bookedTotal(trx: TransactionClientContract, where: Record<string, unknown>) {
  const row = await trx.from('fees_ledger_entries').where(where).sum('amount_gr as total').first()
  return Number(row?.total ?? 0)
}
