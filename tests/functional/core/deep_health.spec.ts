import { test } from '@japa/runner'
import testUtils from '@adonisjs/core/services/test_utils'
import db from '@adonisjs/lucid/services/db'
import StaffUser from '#core/models/staff_user'
import { makeResident, makeStaff, resetSharedState, withOffice } from '#tests/helpers'

/* .env.test trusts 127.0.0.1 as the proxy: X-Forwarded-For picks the caller's address. */
const OUTSIDE = { 'X-Forwarded-For': '203.0.113.7' }
const PLAIN = { status: 'ok' }

/** A job row of @adonisjs/queue's database adapter (score = priority × 10^13 + ready time in ms). */
function job(id: string, status: string, fields: { score?: number; execute_at?: number } = {}) {
  return { id, queue: 'default', status, data: '{}', ...fields }
}

test.group('Health / deep check for the administrator', (group) => {
  group.each.setup(() => testUtils.db().withGlobalTransaction())
  group.each.setup(async () => {
    await resetSharedState()
    await withOffice()
  })

  test('the administrator gets event loop, pool, queue and process figures as JSON, never cached', async ({
    client,
    assert,
  }) => {
    const now = Date.now()
    await db.from('queue_jobs').delete()
    await db.table('queue_jobs').multiInsert([
      /* Waiting: ready 90 s ago at priority 5, and 30 s ago at priority 1 (picked first, but younger). */
      job('a', 'pending', { score: 5e13 + now - 90_000 }),
      job('b', 'pending', { score: 1e13 + now - 30_000 }),
      /* A retry whose time came 45 s ago waits too; one due in 10 minutes is only scheduled. */
      job('c', 'delayed', { execute_at: now - 45_000 }),
      job('d', 'delayed', { execute_at: now + 600_000 }),
      job('e', 'active'),
      job('f', 'failed'),
      job('g', 'failed'),
      job('h', 'completed'),
    ])
    const admin = await StaffUser.findByOrFail('login', 'informatyk')

    const response = await client.get('/up').qs({ deep: 1 }).signedIn('staff', admin)
    response.assertStatus(200)
    assert.include(response.header('content-type'), 'application/json')
    assert.equal(response.header('cache-control'), 'no-store')
    const body = response.body()
    assert.sameMembers(Object.keys(body), [
      'status',
      'checkedAt',
      'eventLoop',
      'database',
      'queue',
      'process',
    ])
    assert.equal(body.status, 'ok')

    assert.deepInclude(body.queue, { waiting: 3, scheduled: 1, running: 1, failed: 2 })
    assert.closeTo(body.queue.oldestWaitingSeconds, 90, 1)

    assert.include(body.database, { up: true, connection: db.primaryConnectionName })
    assert.include(['better-sqlite3', 'sqlite3', 'pg'], body.database.client)
    assert.isAtLeast(body.database.latencyMs, 0)
    const pool = body.database.pool
    assert.sameMembers(Object.keys(pool), [
      'min',
      'max',
      'used',
      'free',
      'pendingAcquires',
      'pendingCreates',
      'waitedAcquires',
      'longestWaitMs',
      'failedAcquires',
      'watchedSince',
    ])
    assert.isAtLeast(pool.max, 1)
    assert.isAtMost(pool.used + pool.free, pool.max)
    if (body.database.client !== 'pg') assert.equal(pool.max, 1, 'SQLite keeps one connection')

    const loop = body.eventLoop
    assert.include(loop, { limitP99Ms: 50, resolutionMs: 20 })
    assert.includeMembers(Object.keys(loop), ['currentMinute', 'lastMinute', 'last5Minutes'])
    /* The server has been sampling for longer than one tick: the running or the last minute has samples. */
    const sampled = loop.currentMinute ?? loop.lastMinute
    assert.isAbove(sampled.samples, 0)
    assert.includeMembers(Object.keys(sampled), [
      'from',
      'to',
      'p50Ms',
      'p99Ms',
      'maxMs',
      'utilisation',
    ])
    assert.isAtMost(sampled.p50Ms, sampled.p99Ms)
    assert.isAtMost(sampled.p99Ms, sampled.maxMs)

    assert.include(body.process, { pid: process.pid, node: process.version })
    assert.isAbove(body.process.rssMb, 0)
    assert.isAbove(body.process.heapUsedMb, 0)
    assert.isAtLeast(body.process.uptimeSeconds, 0)
  })

  test('a staff member without the admin role gets 403 and no figures', async ({
    client,
    assert,
  }) => {
    const clerk = await makeStaff('jkowalska', ['clerk'])
    const response = await client
      .get('/up')
      .qs({ deep: 1 })
      .header('Accept', 'application/json')
      .signedIn('staff', clerk)
    response.assertStatus(403)
    for (const figure of ['eventLoop', 'queue', 'pool', 'rssMb'])
      assert.notInclude(response.text(), figure)

    const page = await client.get('/up').qs({ deep: 1 }).signedIn('staff', clerk)
    page.assertStatus(403)
    assert.include(page.text(), 'Brak dostępu')
  })

  test('anonymous callers, residents and anyone outside the office networks get the plain answer', async ({
    client,
    assert,
  }) => {
    const anonymous = await client.get('/up').qs({ deep: 1 })
    anonymous.assertStatus(200)
    anonymous.assertBody(PLAIN)
    /* The test client always sends a session cookie; a monitoring script sends none and gets no session. */
    const script = await fetch(`http://${process.env.HOST}:${process.env.PORT}/up?deep=1`)
    assert.equal(script.status, 200)
    assert.deepEqual(await script.json(), PLAIN)
    assert.isNull(script.headers.get('set-cookie'))

    const resident = await makeResident('anna.nowak@example.pl')
    const asResident = await client.get('/up').qs({ deep: 1 }).signedIn('resident', resident)
    asResident.assertStatus(200)
    asResident.assertBody(PLAIN)

    /* Even a signed-in administrator, once outside the staff zone. */
    const admin = await StaffUser.findByOrFail('login', 'informatyk')
    const outside = await client
      .get('/up')
      .qs({ deep: 1 })
      .headers(OUTSIDE)
      .signedIn('staff', admin)
    outside.assertStatus(200)
    outside.assertBody(PLAIN)
    assert.isUndefined(outside.header('set-cookie'), 'answered before the session stack')
  })

  test('plain /up is unchanged: anonymous, off the session stack, also for HEAD and deep=0', async ({
    client,
    assert,
  }) => {
    const admin = await StaffUser.findByOrFail('login', 'informatyk')
    for (const request of [
      client.get('/up'),
      client.get('/up').signedIn('staff', admin),
      client.get('/up').qs({ deep: 0 }).signedIn('staff', admin),
      client.get('/up').headers(OUTSIDE),
    ]) {
      const response = await request
      response.assertStatus(200)
      response.assertBody(PLAIN)
      assert.equal(response.header('cache-control'), 'no-store')
      assert.isUndefined(response.header('set-cookie'))
    }
    const head = await client.head('/up').headers(OUTSIDE)
    head.assertStatus(200)
    assert.isUndefined(head.header('set-cookie'))
  })
})
