import { test } from '@japa/runner'
import db from '@adonisjs/lucid/services/db'
import databaseHealth from '#core/services/database_health'
import testUtils from '@adonisjs/core/services/test_utils'
import type { ConnectionConfig } from '@adonisjs/lucid/types/database'
import { auditCount } from '#tests/helpers'

/**
 * Makes the primary connection unusable without touching the real one: a
 * second connection pointing at a database that cannot be opened (a SQLite
 * file in a directory that does not exist, or a PostgreSQL port nobody listens
 * on) is put in its place, then the real one is put back. The real pool stays
 * open, so services that keep its client (the rate limiter's store) go on working.
 */
async function withDatabaseDown(callback: () => Promise<void>) {
  const name = db.primaryConnectionName
  const primary = db.manager.get(name)!
  const real = primary.connection!
  const original = primary.config
  const brokenName = `health_down_${process.pid}`
  const pool = { min: 0, max: 1, acquireTimeoutMillis: 3000 }
  const broken: ConnectionConfig =
    original.client === 'pg'
      ? {
          ...original,
          connection: { ...(original.connection as object), host: '127.0.0.1', port: 1 },
          pool,
        }
      : ({
          ...original,
          connection: { filename: '/nonexistent-ratusz-dir/ratusz.sqlite3' },
          pool,
        } as ConnectionConfig)
  db.manager.add(brokenName, broken)
  db.manager.connect(brokenName)
  primary.connection = db.manager.get(brokenName)!.connection
  /* A success is trusted for a second; the outage must be seen at once. */
  databaseHealth.forget()
  try {
    await callback()
  } finally {
    primary.connection = real
    await db.manager.release(brokenName)
    databaseHealth.forget()
  }
}

test.group('Health check', () => {
  test('GET /up answers 200 {"status":"ok"} while the database answers', async ({
    client,
    assert,
  }) => {
    const response = await client.get('/up')
    response.assertStatus(200)
    response.assertBody({ status: 'ok' })
    assert.include(response.header('content-type'), 'application/json')
    /* Off the session stack: no cookie is set. */
    assert.isUndefined(response.header('set-cookie'))
  })

  test('GET /up answers 503 while the data disk has no room for writes', async ({ client }) => {
    /* No disk this test runs on has a petabyte free: to /up it is as full as a full one. */
    databaseHealth.minFreeBytes = 1024 ** 5
    databaseHealth.forget()
    try {
      const full = await client.get('/up')
      full.assertStatus(503)
      full.assertBody({ status: 'unavailable', reason: 'disk' })
    } finally {
      databaseHealth.minFreeBytes = 64 * 1024 ** 2
      databaseHealth.forget()
    }
    const room = await client.get('/up')
    room.assertStatus(200)
  })

  test('GET /up answers 503 when the database cannot be reached, and 200 again afterwards', async ({
    client,
    assert,
  }) => {
    await withDatabaseDown(async () => {
      const started = Date.now()
      const response = await client.get('/up')
      response.assertStatus(503)
      response.assertBody({ status: 'unavailable', reason: 'database' })
      assert.isBelow(Date.now() - started, 10_000, 'the check must fail fast')
      /* Nothing about the error leaks into the answer. */
      assert.notInclude(response.text(), 'nonexistent')
      assert.notInclude(response.text(), 'ECONNREFUSED')
    })
    const after = await client.get('/up')
    after.assertStatus(200)
    after.assertBody({ status: 'ok' })
  }).timeout(30_000)

  test('everything that uses the database works normally after the outage', async ({
    client,
    assert,
  }) => {
    /* In a transaction of its own: this group writes nothing that outlives it. */
    const rollback = await testUtils.db().withGlobalTransaction()
    try {
      const staff = await db.from('staff_users').count('* as total').first()
      assert.isAtLeast(Number(staff.total), 0)
      const home = await client.get('/')
      home.assertStatus(200)
      /* A failed sign-in uses the rate limiter's store and the audit log. */
      const login = await client
        .post('/konto/logowanie')
        .form({ email: 'nikt@example.pl', password: 'nie to hasło' })
        .withCsrfToken()
        .redirects(0)
      login.assertStatus(302)
      login.assertHeader('location', '/konto/logowanie')
      const counters = await db.from('rate_limits').count('* as total').first()
      assert.isAbove(Number(counters.total), 0)
      assert.equal(await auditCount('auth.login_failed', 'nikt@example.pl'), 1)
    } finally {
      await rollback()
    }
  })
})
