import { test } from '@japa/runner'
import db from '@adonisjs/lucid/services/db'
import databaseHealth from '#core/services/database_health'
import type { ConnectionConfig } from '@adonisjs/lucid/types/database'

/**
 * Points the primary connection at a database that cannot be opened (a SQLite
 * file in a directory that does not exist, or a PostgreSQL port nobody listens
 * on), runs the callback, then puts the real configuration back.
 */
async function withDatabaseDown(callback: () => Promise<void>) {
  const name = db.primaryConnectionName
  const original = db.manager.get(name)!.config
  const broken: ConnectionConfig =
    original.client === 'pg'
      ? { ...original, connection: { ...(original.connection as object), host: '127.0.0.1', port: 1 }, pool: { min: 0, max: 1, acquireTimeoutMillis: 3000 } }
      : { ...original, connection: { filename: '/nonexistent-ratusz-dir/ratusz.sqlite3' }, pool: { min: 0, max: 1, acquireTimeoutMillis: 3000 } } as ConnectionConfig
  db.manager.patch(name, broken)
  /* /up trusts a success for a second; a replaced connection must be asked again. */
  databaseHealth.forget()
  try {
    await callback()
  } finally {
    db.manager.patch(name, original)
    db.manager.connect(name)
  }
}

test.group('Health check', () => {
  test('GET /up answers 200 {"status":"ok"} while the database answers', async ({ client, assert }) => {
    const response = await client.get('/up')
    response.assertStatus(200)
    response.assertBody({ status: 'ok' })
    assert.include(response.header('content-type'), 'application/json')
    /* Off the session stack: no cookie is set. */
    assert.isUndefined(response.header('set-cookie'))
  })

  test('GET /up answers 503 when the database cannot be reached, and 200 again afterwards', async ({ client, assert }) => {
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

  test('the database works normally after the outage', async ({ client, assert }) => {
    const tables = await db.from('staff_users').count('* as total').first()
    assert.isAtLeast(Number(tables.total), 0)
    const home = await client.get('/')
    home.assertStatus(200)
    const login = await client.get('/konto/logowanie')
    login.assertStatus(200)
  })
})
