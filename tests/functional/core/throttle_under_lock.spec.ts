import { test } from '@japa/runner'
import db from '@adonisjs/lucid/services/db'
import { commitHealth } from '#core/services/durable_commit'
import { committedCount, committingForReal } from '#tests/committed_rows'
import { financeClerk, staffPost, taxpayerWithDecision } from '#tests/fees_fixtures'
import { withOffice } from '#tests/helpers'
import { holdWriteLock } from '#tests/write_lock'

/*
 * Issue 19, item 2: a login mistyped while another process held the write lock left the web
 * process's only connection inside the limiter's savepoint; every later request answered 500
 * and what they wrote was lost at restart. Real commits here: the harm was in what survives.
 */
test.group('Login throttling under a held write lock', (group) => {
  group.each.setup(committingForReal())
  group.each.timeout(60_000)

  test('a failed login while the lock is held leaves the server working and every later write durable', async ({
    client,
    assert,
  }) => {
    await withOffice()
    const clerk = await financeClerk()
    const { taxpayer } = await taxpayerWithDecision()

    const lock = await holdWriteLock('rate_limits')
    const pending = client
      .post('/panel/logowanie')
      .form({ login: 'ksiegowa', password: 'nie to hasło' })
      .withCsrfToken()
      .redirects(0)
      .then((response) => response)
    if (db.connection().dialect.name === 'postgres') await waitForLockWait()
    /* On SQLite the request waited out the busy timeout synchronously: it is answered already. */
    const locked = await settleAfter(pending, lock.release)
    if (db.connection().dialect.name === 'postgres') {
      /* PostgreSQL waits for the lock, then refuses the password as usual. */
      locked.assertStatus(302)
      locked.assertFlashMessage('formError', 'Nieprawidłowy login lub hasło.')
    } else {
      /* SQLite gives up after busy_timeout (5 s): nothing of the attempt was written. */
      locked.assertStatus(503)
      assert.include(locked.text(), 'Baza danych jest chwilowo zajęta')
    }

    for (let i = 0; i < 100; i++) {
      const response = await staffPost(client, clerk, `/panel/podatki/${taxpayer.id}/wplata`, {
        amount: `${i + 1},00`,
        paidOn: '2026-03-10',
        title: `Wpłata ${i + 1}`,
        idempotencyKey: i.toString(16).padStart(32, '0'),
      })
      assert.equal(response.status(), 302, `payment ${i + 1}`)
      assert.equal(
        (response.flashMessage('notification') as { message: string }).message,
        'Zaksięgowano wpłatę.'
      )
    }
    /* What a restarted process reads: 100 rows, 1 + 2 + … + 100 zł = 5 050 zł. */
    assert.equal(await committedCount('fees_payments', { taxpayer_id: taxpayer.id }), 100)
    const sum = await db
      .from('fees_payments')
      .where('taxpayer_id', taxpayer.id)
      .sum('amount_gr as total')
      .first()
    assert.equal(Number(sum?.total), 505_000)
    assert.isNull(commitHealth.current())
  })
})

/* Releases the lock only once the request is waiting on it (PostgreSQL) or answered (SQLite). */
async function settleAfter<T>(pending: Promise<T>, release: () => Promise<void>): Promise<T> {
  if (db.connection().dialect.name === 'postgres') {
    await release()
    return pending
  }
  const response = await pending
  await release()
  return response
}

async function waitForLockWait() {
  const deadline = Date.now() + 20_000
  while (Date.now() < deadline) {
    const result = await db.rawQuery(
      `SELECT count(*) AS total FROM pg_stat_activity WHERE wait_event_type = 'Lock'`
    )
    if (Number(result.rows[0].total) > 0) return
    await new Promise((resolve) => setImmediate(resolve))
  }
  throw new Error('the login never waited for the lock')
}
