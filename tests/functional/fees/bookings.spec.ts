import { test } from '@japa/runner'
import testUtils from '@adonisjs/core/services/test_utils'
import db from '@adonisjs/lucid/services/db'
import { formatNrb } from '#core/services/formatting'
import officeProfileService from '#core/services/office_profile_service'
import { BookingError, bookings } from '#fees/services/bookings'
import { ledgerOf } from '#fees/services/ledger_store'
import { resetSharedState, withOffice } from '#tests/helpers'
import {
  installmentsOf,
  payFor,
  removeFeesTaxpayer,
  taxpayerWithDecision,
} from '#tests/fees_fixtures'

/* The fixture's 2026 decision: 1 945 zł as 487 + 486 + 486 + 486 zł (see assessments.spec.ts). */

async function bookingError(run: () => Promise<unknown>): Promise<BookingError> {
  try {
    await run()
  } catch (error) {
    if (error instanceof BookingError) return error
    throw error
  }
  throw new Error('expected a BookingError')
}

async function count(table: string) {
  const row = await db.from(table).count('* as total').first()
  return Number(row?.total ?? 0)
}

async function fieldOf(run: () => Promise<unknown>) {
  const error = await bookingError(run)
  return error.field
}

test.group('Fees / bookings', (group) => {
  group.each.setup(() => testUtils.db().withGlobalTransaction())
  group.each.setup(async () => {
    await resetSharedState()
    await withOffice()
  })

  test('the same idempotency key books once', async ({ assert }) => {
    const { taxpayer } = await taxpayerWithDecision()
    const line = {
      accountNumber: taxpayer.accountNumber,
      amountGr: 48_700,
      paidOn: '2026-03-10',
      source: 'bank' as const,
      idempotencyKey: 'mt940:2026/45:3',
    }
    const first = await bookings.bookPayment(line)
    const again = await bookings.bookPayment({ ...line, amountGr: 99_999 })
    assert.isTrue(first.created)
    assert.isFalse(again.created)
    assert.equal(again.paymentId, first.paymentId)
    assert.equal(again.taxpayerId, taxpayer.id)
    assert.equal(await count('fees_payments'), 1)
    const row = await db.from('fees_payments').where('id', first.paymentId).firstOrFail()
    assert.equal(Number(row.amount_gr), 48_700)
  })

  test('the account number finds the payer, however it is written', async ({ assert }) => {
    const { taxpayer } = await taxpayerWithDecision()
    const booked = await bookings.bookPayment({
      accountNumber: `PL${formatNrb(taxpayer.accountNumber)}`,
      amountGr: 1_000,
      paidOn: '2026-03-10',
      source: 'bank',
      idempotencyKey: 'k-1',
    })
    assert.equal(booked.taxpayerId, taxpayer.id)
  })

  test('an unknown account is refused and nothing is written', async ({ assert }) => {
    await taxpayerWithDecision()
    const error = await bookingError(() =>
      bookings.bookPayment({
        accountNumber: '61109010140000071219812874',
        amountGr: 1_000,
        paidOn: '2026-03-10',
        source: 'bank',
        idempotencyKey: 'k-unknown',
      })
    )
    assert.equal(error.field, 'taxpayer')
    assert.equal(await count('fees_payments'), 0)
  })

  test('bad amounts and dates are refused naming the field', async ({ assert }) => {
    const { taxpayer } = await taxpayerWithDecision()
    const base = {
      taxpayerId: taxpayer.id,
      amountGr: 1_000,
      paidOn: '2026-03-10',
      source: 'cash' as const,
      idempotencyKey: 'k-bad',
    }
    assert.equal(await fieldOf(() => bookings.bookPayment({ ...base, amountGr: 0 })), 'amount')
    assert.equal(await fieldOf(() => bookings.bookPayment({ ...base, amountGr: 10.5 })), 'amount')
    assert.equal(
      await fieldOf(() => bookings.bookPayment({ ...base, paidOn: '2026-02-29' })),
      'paidOn'
    )
    assert.equal(
      await fieldOf(() => bookings.bookPayment({ ...base, idempotencyKey: '' })),
      'idempotencyKey'
    )
    assert.equal(await count('fees_payments'), 0)
  })

  test('the decision named in the title is found; another taxpayer’s decision is not', async ({
    assert,
  }) => {
    const first = await taxpayerWithDecision()
    const second = await taxpayerWithDecision({
      data: { name: 'Nowak Anna', pesel: '02070803628' },
    })
    const decision = await db.from('fees_assessments').where('id', first.assessmentId).firstOrFail()
    const number = decision.number
    assert.equal(number, 'FN.3120.1.2026')

    /* Lower case and spaces around it do not matter. */
    const named = await payFor(first.taxpayer.id, 10_000, '2026-03-10', {
      title: `podatek  ${number.toLowerCase()} rata 1`,
    })
    const namedRow = await db.from('fees_payments').where('id', named.paymentId).firstOrFail()
    assert.equal(Number(namedRow.named_assessment_id), first.assessmentId)

    /* The second taxpayer's decision is FN.3120.2.2026; the first one's number in their title names nothing of theirs. */
    const foreign = await payFor(second.taxpayer.id, 10_000, '2026-03-10', { title: number })
    const foreignRow = await db.from('fees_payments').where('id', foreign.paymentId).firstOrFail()
    assert.isNull(foreignRow.named_assessment_id)

    const error = await bookingError(() =>
      payFor(second.taxpayer.id, 10_000, '2026-03-10', { namedAssessmentId: first.assessmentId })
    )
    assert.equal(error.field, 'namedAssessmentId')
  })

  test('a refund is bounded by the credit, also the credit a later refund relies on', async ({
    assert,
  }) => {
    /* 1 945 zł owed, 2 000 zł paid on 2026-03-10: 55 zł credit. */
    const { taxpayer } = await taxpayerWithDecision()
    const refund = (amountGr: number, bookedOn: string) =>
      bookings.refund({
        taxpayerId: taxpayer.id,
        amountGr,
        bookedOn,
        description: 'Zwrot nadpłaty',
      })
    await payFor(taxpayer.id, 200_000, '2026-03-10')
    const paid = await ledgerOf(taxpayer.id, '2026-03-31')
    assert.equal(paid.totals.creditGr, 5_500)

    const tooMuch = await bookingError(() => refund(5_501, '2026-03-31'))
    assert.equal(tooMuch.field, 'amount')
    assert.equal(await count('fees_ledger_entries'), 0)

    await refund(5_000, '2026-04-20')
    const after = await ledgerOf(taxpayer.id, '2026-04-30')
    assert.equal(after.totals.refundedGr, 5_000)
    assert.equal(after.totals.creditGr, 500)

    /*
     * On 2026-03-31 the ledger still shows 55 zł credit, but 50 zł of it were refunded on
     * 04-20: refunding 10 zł on 03-31 would leave the later refund uncovered. Refused, not written.
     */
    const backdated = await bookingError(() => refund(1_000, '2026-03-31'))
    assert.equal(backdated.field, 'amount')
    assert.equal(await count('fees_ledger_entries'), 1)
    /* 5 zł is still there to refund. */
    await refund(500, '2026-03-31')
    const settled = await ledgerOf(taxpayer.id, '2026-12-31')
    assert.equal(settled.totals.creditGr, 0)
  })

  test('a write-off is bounded by what the installment still owes', async ({ assert }) => {
    const { taxpayer, assessmentId } = await taxpayerWithDecision()
    const [first] = await db
      .from('fees_installments')
      .where('assessment_id', assessmentId)
      .orderBy('number')
    const installmentId = Number(first.id)
    const [plan] = await installmentsOf(assessmentId)
    assert.deepEqual(plan, [1, '2026-03-16', 48_700])

    const tooMuch = await bookingError(() =>
      bookings.writeOff({
        installmentId,
        amountGr: 48_701,
        bookedOn: '2026-06-01',
        description: 'Umorzenie',
      })
    )
    assert.equal(tooMuch.field, 'amount')

    await bookings.writeOff({
      installmentId,
      amountGr: 40_000,
      bookedOn: '2026-06-01',
      description: 'Umorzenie',
    })
    /* 87 zł are left; writing off 10 zł dated before the 400 zł would leave that one short. */
    const backdated = await bookingError(() =>
      bookings.writeOff({
        installmentId,
        amountGr: 10_000,
        bookedOn: '2026-05-01',
        description: 'Umorzenie',
      })
    )
    assert.equal(backdated.field, 'amount')
    await bookings.writeOff({
      installmentId,
      amountGr: 8_700,
      bookedOn: '2026-05-01',
      description: 'Umorzenie',
    })

    const ledger = await ledgerOf(taxpayer.id, '2026-06-30')
    const state = ledger.installments.find((i) => i.id === installmentId)!
    assert.equal(state.writtenOffGr, 48_700)
    assert.equal(state.outstandingGr, 0)
    assert.equal(state.status, 'written_off')
    assert.equal(state.interestGr, 0)
    assert.equal(await count('fees_ledger_entries'), 2)
  })

  test('payments are allocated when the ledger is replayed, not when booked', async ({
    assert,
  }) => {
    /*
     * Paid 487 zł on 2026-03-10 and 400 zł on 2026-05-15: March is paid on time, May
     * (486 zł) gets 400 zł, 86 zł left. The September installment is untouched.
     */
    const { taxpayer } = await taxpayerWithDecision()
    await payFor(taxpayer.id, 40_000, '2026-05-15')
    await payFor(taxpayer.id, 48_700, '2026-03-10')
    const ledger = await ledgerOf(taxpayer.id, '2026-05-15')
    assert.deepEqual(
      ledger.installments.map((i) => [i.number, i.paidPrincipalGr, i.outstandingGr, i.status]),
      [
        [1, 48_700, 0, 'paid'],
        [2, 40_000, 8_600, 'partly_paid'],
        [3, 0, 48_600, 'open'],
        [4, 0, 48_600, 'open'],
      ]
    )
    assert.equal(ledger.totals.arrearsGr, 0)
  })
})

/*
 * Without the per-test transaction, on a real pool: SQLite has a single
 * connection, so a service that opens a transaction and then reads anything
 * outside it waits for itself until the pool gives up. These rows are
 * committed and removed afterwards.
 */
test.group('Fees / bookings on a real connection pool', (group) => {
  let taxpayerId: number | null = null
  group.each.setup(async () => {
    await resetSharedState()
    await officeProfileService.save({
      name: 'Urząd Gminy Testowa',
      teryt: '0201011',
      street: 'ul. Testowa 1',
      postalCode: '12-345',
      city: 'Testowo',
      nip: '5213017228',
      regon: '012345675',
      bankAccount: '61109010140000071219812874',
      email: 'urzad@testowa.localhost',
      phone: '+48 12 345 67 89',
    })
    return async () => {
      if (taxpayerId !== null) await removeFeesTaxpayer(taxpayerId)
      await db.from('fees_tax_rates').where('year', 2026).delete()
      await db.from('office_profiles').delete()
      await resetSharedState()
    }
  })

  test('create, issue, pay, write off and refund each finish in their own transaction', async ({
    assert,
  }) => {
    /* The office is not cached: creating the taxpayer reads it. */
    officeProfileService.forget()
    const { taxpayer, assessmentId } = await taxpayerWithDecision({
      data: { name: 'Pula Paweł', pesel: '02070803628' },
    })
    taxpayerId = taxpayer.id
    await payFor(taxpayer.id, 200_000, '2026-03-10')
    const [first] = await installmentsOf(assessmentId)
    const installment = await db
      .from('fees_installments')
      .where({ assessment_id: assessmentId, number: first[0] })
      .firstOrFail()
    await bookings.refund({
      taxpayerId: taxpayer.id,
      amountGr: 5_000,
      bookedOn: '2026-04-01',
      description: 'Zwrot nadpłaty',
    })
    await bookings.writeOff({
      installmentId: Number(installment.id),
      amountGr: 100,
      bookedOn: '2026-02-25',
      description: 'Umorzenie',
    })
    const ledger = await ledgerOf(taxpayer.id, '2026-04-30')
    assert.equal(ledger.totals.refundedGr, 5_000)
    assert.equal(ledger.totals.writtenOffGr, 100)
    /* 2 000 zł paid for 1 945 − 1 zł written off: 56 zł credit, 50 zł refunded. */
    assert.equal(ledger.totals.creditGr, 600)
  }).timeout(30_000)
})
