import { test } from '@japa/runner'
import db from '@adonisjs/lucid/services/db'
import { readCommitFailures } from '#core/services/commit_failures'
import { CommitFailedError, commitHealth } from '#core/services/durable_commit'
import { failCommitsOn, healCommitsOn } from '#tests/commit_fault'
import { committedCount, committingForReal } from '#tests/committed_rows'
import { financeClerk, staffPost, taxpayerWithDecision } from '#tests/fees_fixtures'
import { auditCount, withOffice } from '#tests/helpers'

/*
 * Issue 19, item 1: knex 3.3 resolved `commit()` when the COMMIT failed, so a payment the
 * disk could not take was reported as booked. These tests commit for real (no per-test
 * transaction): only a real COMMIT can fail.
 */
test.group('Durable commit', (group) => {
  group.each.setup(
    committingForReal(async () => {
      await healCommitsOn('fees_payments')
      await healCommitsOn('fees_fee_types')
      await healCommitsOn('residents')
    })
  )

  test('a transaction whose COMMIT fails throws and leaves nothing behind', async ({ assert }) => {
    await failCommitsOn('fees_fee_types')
    const before = await db.from('fees_fee_types').count('* as total').first()
    let thrown: unknown = null
    try {
      await db.transaction(async (trx) => {
        await trx.table('fees_fee_types').insert(feeType('Opłata targowa'))
      })
    } catch (error) {
      thrown = error
    }
    assert.instanceOf(thrown, CommitFailedError)
    assert.match(
      (thrown as Error).message,
      /^database commit failed \((SQLITE_CONSTRAINT_FOREIGNKEY|53100)\)/
    )
    assert.equal(commitHealth.current()?.reason, (thrown as CommitFailedError).reason)
    const after = await db.from('fees_fee_types').count('* as total').first()
    assert.equal(Number(after?.total), Number(before?.total))

    /* The connection is not left inside the failed transaction: the next commit is durable. */
    await healCommitsOn('fees_fee_types')
    await db.transaction(async (trx) => {
      await trx.table('fees_fee_types').insert(feeType('Opłata od posiadania psów'))
    })
    assert.isNull(commitHealth.current())
    assert.equal(await committedCount('fees_fee_types', { name: 'Opłata od posiadania psów' }), 1)
    assert.equal(await committedCount('fees_fee_types', { name: 'Opłata targowa' }), 0)
  })

  test('the clerk reads that nothing was saved, /up answers 503, the resubmit books once', async ({
    client,
    assert,
  }) => {
    await withOffice()
    const clerk = await financeClerk()
    const { taxpayer } = await taxpayerWithDecision()
    const payment = {
      amount: '100,00',
      paidOn: '2026-03-10',
      title: 'Wpłata w kasie',
      idempotencyKey: 'a'.repeat(32),
    }
    await failCommitsOn('fees_payments')
    const refused = await staffPost(client, clerk, `/panel/podatki/${taxpayer.id}/wplata`, payment)
    refused.assertStatus(503)
    assert.include(refused.text(), 'Nic nie zostało zapisane')
    assert.notInclude(refused.text(), 'Zaksięgowano')
    assert.lengthOf(await db.from('fees_payments').where('taxpayer_id', taxpayer.id), 0)
    assert.equal(await auditCount('fees.payment_booked', 'ksiegowa'), 0)

    const up = await client.get('/up')
    up.assertStatus(503)
    up.assertBody({ status: 'unavailable', reason: 'writes' })

    await healCommitsOn('fees_payments')
    const booked = await staffPost(client, clerk, `/panel/podatki/${taxpayer.id}/wplata`, payment)
    booked.assertStatus(302)
    assert.equal(
      (booked.flashMessage('notification') as { message: string }).message,
      'Zaksięgowano wpłatę.'
    )
    const rows = await db.from('fees_payments').where('taxpayer_id', taxpayer.id)
    assert.lengthOf(rows, 1)
    assert.equal(Number(rows[0].amount_gr), 10_000)
    assert.equal(await auditCount('fees.payment_booked', 'ksiegowa'), 1)
    const upAgain = await client.get('/up')
    upAgain.assertStatus(200)

    /* For `ratusz doctor`: one failed commit, its cause, and the recovery. */
    const deadline = Date.now() + 5_000
    let episode = await readCommitFailures()
    while (!episode?.recoveredAt && Date.now() < deadline) {
      await new Promise((resolve) => setImmediate(resolve))
      episode = await readCommitFailures()
    }
    assert.equal(episode?.count, 1)
    assert.oneOf(episode?.reason, ['SQLITE_CONSTRAINT_FOREIGNKEY', '53100'])
    assert.isString(episode?.recoveredAt)
  })

  test('a registration whose commit fails never says "check your e-mail"', async ({
    client,
    assert,
  }) => {
    await withOffice()
    await failCommitsOn('residents')
    const password = 'słoneczny poranek w Bieszczadach'
    const response = await client
      .post('/konto/rejestracja')
      .form({
        fullName: 'Małgorzata Wójcik',
        email: 'malgorzata.wojcik@example.pl',
        password,
        password_confirmation: password,
        consent: 'on',
      })
      .withCsrfToken()
      .redirects(0)
    response.assertStatus(503)
    assert.include(response.text(), 'Nic nie zostało zapisane')
    assert.notInclude(response.text(), 'Sprawdź skrzynkę e-mail')
    assert.lengthOf(await db.from('residents').where('email', 'malgorzata.wojcik@example.pl'), 0)
    assert.lengthOf(
      await db.from('outbox_messages').where('recipient', 'malgorzata.wojcik@example.pl'),
      0
    )
  })
})

function feeType(name: string) {
  return {
    code: `test-${name.length}-${name.charCodeAt(8)}`,
    name,
    amount_rule: 'fixed',
    amount_gr: 5_000,
    schedule: 'once:03-15',
    rounding: 'none',
    created_at: new Date(),
    updated_at: new Date(),
  }
}
