import { test } from '@japa/runner'
import testUtils from '@adonisjs/core/services/test_utils'
import db from '@adonisjs/lucid/services/db'
import auditLog from '#core/services/audit_log'
import { bookings } from '#fees/services/bookings'
import { financeClerk, staffPost, taxpayerWithDecision } from '#tests/fees_fixtures'
import { auditCount, resetSharedState, withOffice } from '#tests/helpers'

/*
 * Issue 19, item 3: the audit entry of a booking was written after the booking committed, so a
 * crash in between kept the payment without its entry and a resubmit never added it.
 */

/* The audit insert fails as a crash between the two writes would have left it: not written. */
async function refuseAuditOf(action: string) {
  const client = db.connection()
  if (client.dialect.name === 'postgres') {
    await client.rawQuery(`CREATE FUNCTION audit_fault() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN RAISE EXCEPTION 'injected audit failure'; END $$`)
    await client.rawQuery(`CREATE TRIGGER audit_fault BEFORE INSERT ON audit_entries
      FOR EACH ROW WHEN (NEW.action = '${action}') EXECUTE FUNCTION audit_fault()`)
    return
  }
  await client.rawQuery(`CREATE TRIGGER audit_fault BEFORE INSERT ON audit_entries
    WHEN NEW.action = '${action}' BEGIN SELECT RAISE(ABORT, 'injected audit failure'); END`)
}

async function allowAudit() {
  const client = db.connection()
  if (client.dialect.name === 'postgres') {
    await client.rawQuery('DROP TRIGGER audit_fault ON audit_entries')
    await client.rawQuery('DROP FUNCTION audit_fault()')
    return
  }
  await client.rawQuery('DROP TRIGGER audit_fault')
}

test.group('Fees / a change and its audit entry commit together', (group) => {
  group.each.setup(() => testUtils.db().withGlobalTransaction())
  group.each.setup(async () => {
    await resetSharedState()
    await withOffice()
  })

  test('when the audit entry cannot be written the payment is not booked either', async ({
    client,
    assert,
  }) => {
    const clerk = await financeClerk()
    const { taxpayer } = await taxpayerWithDecision()
    const payment = {
      amount: '250,00',
      paidOn: '2026-03-10',
      title: 'Wpłata w kasie',
      idempotencyKey: 'b'.repeat(32),
    }
    await refuseAuditOf('fees.payment_booked')
    const refused = await staffPost(client, clerk, `/panel/podatki/${taxpayer.id}/wplata`, payment)
    refused.assertStatus(500)
    assert.notInclude(refused.text(), 'Zaksięgowano')
    assert.lengthOf(await db.from('fees_payments').where('taxpayer_id', taxpayer.id), 0)

    await allowAudit()
    const booked = await staffPost(client, clerk, `/panel/podatki/${taxpayer.id}/wplata`, payment)
    booked.assertStatus(302)
    const rows = await db.from('fees_payments').where('taxpayer_id', taxpayer.id)
    assert.lengthOf(rows, 1)
    const entries = await db
      .from('audit_entries')
      .where({ action: 'fees.payment_booked', subject_id: String(rows[0].id) })
    assert.lengthOf(entries, 1)
    assert.equal(entries[0].actor_label, 'ksiegowa')
    assert.deepEqual(JSON.parse(entries[0].details), {
      taxpayerId: taxpayer.id,
      amountGr: 25_000,
      paidOn: '2026-03-10',
    })
    const chain = await auditLog.verify()
    assert.isNull(chain.broken)
  })

  test('a resubmit of a payment booked without its entry adds the entry, once', async ({
    client,
    assert,
  }) => {
    const clerk = await financeClerk()
    const { taxpayer } = await taxpayerWithDecision()
    const key = 'c'.repeat(32)
    /* What a crash between the two writes left behind before this fix. */
    const legacy = await bookings.bookPayment({
      taxpayerId: taxpayer.id,
      amountGr: 12_345,
      paidOn: '2026-03-11',
      source: 'cash',
      idempotencyKey: `clerk:${key}`,
    })
    assert.equal(await auditCount('fees.payment_booked'), 0)
    const form = { amount: '123,45', paidOn: '2026-03-11', idempotencyKey: key }
    for (let i = 0; i < 2; i++) {
      const again = await staffPost(client, clerk, `/panel/podatki/${taxpayer.id}/wplata`, form)
      again.assertStatus(302)
      assert.include(
        (again.flashMessage('notification') as { message: string }).message,
        'już zaksięgowana'
      )
    }
    const entries = await db.from('audit_entries').where('action', 'fees.payment_booked')
    assert.lengthOf(entries, 1)
    assert.equal(entries[0].subject_id, String(legacy.paymentId))
    assert.deepEqual(JSON.parse(entries[0].details), {
      taxpayerId: taxpayer.id,
      amountGr: 12_345,
      paidOn: '2026-03-11',
    })
    assert.lengthOf(await db.from('fees_payments').where('taxpayer_id', taxpayer.id), 1)
  })

  test('a write-off is not booked when its audit entry cannot be written', async ({
    client,
    assert,
  }) => {
    const clerk = await financeClerk()
    const { taxpayer, assessmentId } = await taxpayerWithDecision()
    const [installment] = await db
      .from('fees_installments')
      .where('assessment_id', assessmentId)
      .orderBy('number')
    await refuseAuditOf('fees.installment_written_off')
    const refused = await staffPost(client, clerk, `/panel/podatki/raty/${installment.id}/odpis`, {
      amount: '10,00',
      bookedOn: '2026-03-20',
      writeOffReason: 'Umorzenie decyzją wójta',
    })
    refused.assertStatus(500)
    assert.lengthOf(await db.from('fees_ledger_entries').where('taxpayer_id', taxpayer.id), 0)
    await allowAudit()
  })

  test('a recorded delivery of a decision commits with its audit entry or not at all', async ({
    client,
    assert,
  }) => {
    const clerk = await financeClerk()
    const { assessmentId } = await taxpayerWithDecision()
    const url = `/panel/podatki/decyzje/${assessmentId}/doreczenie`
    await refuseAuditOf('fees.decision_delivered')
    const refused = await staffPost(client, clerk, url, { deliveredOn: '2026-03-02' })
    refused.assertStatus(500)
    const untouched = await db.from('fees_assessments').where('id', assessmentId).first()
    assert.isNull(untouched.delivered_on)

    await allowAudit()
    const recorded = await staffPost(client, clerk, url, { deliveredOn: '2026-03-02' })
    recorded.assertStatus(302)
    const delivered = await db.from('fees_assessments').where('id', assessmentId).first()
    assert.equal(delivered.delivered_on, '2026-03-02')
    assert.equal(await auditCount('fees.decision_delivered', 'ksiegowa'), 1)
  })
})
