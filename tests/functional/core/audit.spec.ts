import { test } from '@japa/runner'
import { randomBytes } from 'node:crypto'
import { rm } from 'node:fs/promises'
import { fileURLToPath } from 'node:url'
import testUtils from '@adonisjs/core/services/test_utils'
import db from '@adonisjs/lucid/services/db'
import StaffUser from '#core/models/staff_user'
import auditLog, { GENESIS_HASH, type AuditInput } from '#core/services/audit_log'
import {
  PASSWORD,
  disableAppendOnly,
  makeResident,
  makeStaff,
  resetSharedState,
  runAce as ace,
  withOffice,
} from '#tests/helpers'

const PROJECT_ROOT = fileURLToPath(new URL('../../../', import.meta.url))

const clerkActor = { realm: 'staff' as const, id: 12, label: 'jkowalski' }

const SAMPLE: AuditInput[] = [
  {
    actor: clerkActor,
    action: 'auth.login',
    subjectType: 'staff_user',
    subjectId: 12,
    ip: '192.168.10.21',
  },
  {
    actor: clerkActor,
    action: 'office.updated',
    subjectType: 'office_profile',
    subjectId: 1,
    ip: '192.168.10.21',
    details: { changed: ['openingHours'] },
  },
  {
    actor: { realm: 'staff', id: 1, label: 'informatyk' },
    action: 'staff.created',
    subjectType: 'staff_user',
    subjectId: 13,
    ip: '192.168.10.5',
    details: { login: 'anowak', roles: ['clerk'] },
  },
  {
    actor: { realm: 'resident', id: 4, label: 'anna.nowak@example.pl' },
    action: 'resident.registered',
    subjectType: 'resident',
    subjectId: 4,
    ip: '203.0.113.7',
  },
  {
    actor: clerkActor,
    action: 'auth.logout',
    subjectType: 'staff_user',
    subjectId: 12,
    ip: '192.168.10.21',
  },
]

async function recordSample() {
  for (const entry of SAMPLE) await auditLog.record(entry)
  return db.from('audit_entries').orderBy('id', 'asc')
}

/** Switches the append-only triggers off inside the test transaction (rolled back afterwards). */
/** The rows of the table body, so the filter drop-down (which lists every action) does not count. */
function tableBody(html: string) {
  return /<tbody>([\s\S]*?)<\/tbody>/.exec(html)?.[1] ?? ''
}

test.group('Audit log / chain in the database', (group) => {
  group.each.setup(() => testUtils.db().withGlobalTransaction())
  group.each.setup(() => resetSharedState())

  test('each entry stores the previous entry hash', async ({ assert }) => {
    const rows = await recordSample()
    assert.lengthOf(rows, SAMPLE.length)
    assert.equal(rows[0].prev_hash, GENESIS_HASH)
    for (let i = 1; i < rows.length; i++) {
      assert.equal(rows[i].prev_hash, rows[i - 1].hash)
      assert.isAbove(Number(rows[i].id), Number(rows[i - 1].id))
    }
    assert.equal(new Set(rows.map((row) => row.hash)).size, rows.length)
    assert.deepEqual(await auditLog.verify(), { checked: SAMPLE.length, broken: null })
  })

  test('entries written in one transaction chain as well', async ({ assert }) => {
    await auditLog.record(SAMPLE[0])
    await db.transaction(async (trx) => {
      await auditLog.record(SAMPLE[1], trx)
      await auditLog.record(SAMPLE[2], trx)
    })
    await auditLog.record(SAMPLE[3])
    assert.deepEqual(await auditLog.verify(), { checked: 4, broken: null })
  })

  test('concurrent writers do not fork the chain', async ({ assert }) => {
    await Promise.all(SAMPLE.map((entry) => auditLog.record(entry)))
    const result = await auditLog.verify()
    assert.isNull(result.broken)
    assert.equal(result.checked, SAMPLE.length)
  })

  test('the database refuses UPDATE and DELETE on audit_entries', async ({ assert }) => {
    const rows = await recordSample()
    const target = rows[2]
    /* Each attempt in its own savepoint: on PostgreSQL an error aborts the surrounding transaction. */
    await assert.rejects(
      () =>
        db.transaction((trx) =>
          trx.from('audit_entries').where('id', target.id).update({ action: 'auth.login' })
        ),
      /append-only/
    )
    await assert.rejects(
      () =>
        db.transaction((trx) =>
          trx.rawQuery('UPDATE audit_entries SET details = ? WHERE id = ?', ['{}', target.id])
        ),
      /append-only/
    )
    await assert.rejects(
      () => db.transaction((trx) => trx.from('audit_entries').where('id', target.id).delete()),
      /append-only/
    )
    await assert.rejects(
      () => db.transaction((trx) => trx.from('audit_entries').delete()),
      /append-only/
    )

    const after = await db.from('audit_entries').orderBy('id', 'asc')
    assert.lengthOf(after, SAMPLE.length)
    assert.equal(after[2].action, target.action)
    assert.deepEqual(await auditLog.verify(), { checked: SAMPLE.length, broken: null })
  })

  test('a changed row is reported by its id', async ({ assert }) => {
    const rows = await recordSample()
    await disableAppendOnly()
    await db.from('audit_entries').where('id', rows[2].id).update({ action: 'staff.updated' })
    const result = await auditLog.verify()
    assert.equal(result.checked, 2)
    assert.equal(result.broken?.id, Number(rows[2].id))
    assert.include(result.broken!.reason, 'changed')
  })

  test('a deleted middle row is reported at the next id', async ({ assert }) => {
    const rows = await recordSample()
    await disableAppendOnly()
    await db.from('audit_entries').where('id', rows[1].id).delete()
    const result = await auditLog.verify()
    assert.equal(result.checked, 1)
    assert.equal(result.broken?.id, Number(rows[2].id))
    assert.include(result.broken!.reason, 'removed')
  })

  test('a row rewritten with a recomputed hash still breaks the next link', async ({ assert }) => {
    const { entryHash } = await import('#core/services/audit_log')
    const rows = await recordSample()
    await disableAppendOnly()
    const forged = { ...rows[1], actor_label: 'ktoś inny' }
    await db
      .from('audit_entries')
      .where('id', rows[1].id)
      .update({ actor_label: forged.actor_label, hash: entryHash(forged.prev_hash, forged) })
    const result = await auditLog.verify()
    assert.equal(result.broken?.id, Number(rows[2].id))
  })

  test('secrets never reach the stored details', async ({ assert }) => {
    await auditLog.record({
      actor: clerkActor,
      action: 'resident.password_reset',
      details: {
        password: PASSWORD,
        password_confirmation: PASSWORD,
        token: 'c2VrcmV0bnktdG9rZW4',
        pesel: '44051401359',
        resident: { pesel: '02270803628', city: 'Testowo' },
      },
    })
    const row = await db
      .from('audit_entries')
      .where('action', 'resident.password_reset')
      .firstOrFail()
    assert.deepEqual(JSON.parse(row.details), { resident: { city: 'Testowo' } })
    for (const secret of [PASSWORD, 'c2VrcmV0bnktdG9rZW4', '44051401359', '02270803628']) {
      assert.notInclude(JSON.stringify(row), secret)
    }
  })
})

test.group('Audit log / what real requests leave behind', (group) => {
  group.each.setup(() => testUtils.db().withGlobalTransaction())
  group.each.setup(async () => {
    await resetSharedState()
    await withOffice()
  })

  test('logins, failures, registration and a password reset store no password, token or code', async ({
    client,
    assert,
  }) => {
    await makeStaff('jkowalski', ['clerk'])
    await makeResident('anna.nowak@example.pl')
    await client
      .post('/panel/logowanie')
      .form({ login: 'jkowalski', password: 'Złe hasło 2026' })
      .withCsrfToken()
      .redirects(0)
    await client
      .post('/panel/logowanie')
      .form({ login: 'jkowalski', password: PASSWORD })
      .withCsrfToken()
      .redirects(0)
    await client
      .post('/konto/rejestracja')
      .form({
        fullName: 'Piotr Zieliński',
        email: 'piotr@example.pl',
        password: 'nowe hasło do e-BOK',
        password_confirmation: 'nowe hasło do e-BOK',
        consent: 'on',
      })
      .withCsrfToken()
      .redirects(0)
    await client
      .post('/konto/przypomnij-haslo')
      .form({ email: 'anna.nowak@example.pl' })
      .withCsrfToken()
      .redirects(0)
    const mail = await db
      .from('outbox_messages')
      .where('recipient', 'anna.nowak@example.pl')
      .firstOrFail()
    const token = /nowe-haslo\/([\w-]+)/.exec(mail.body_text)![1]
    await client
      .post(`/konto/nowe-haslo/${token}`)
      .form({
        password: 'inne nowe hasło mieszkańca',
        password_confirmation: 'inne nowe hasło mieszkańca',
      })
      .withCsrfToken()
      .redirects(0)

    const rows = await db.from('audit_entries').orderBy('id')
    const actions = rows.map((row) => row.action)
    for (const action of [
      'auth.login_failed',
      'auth.login',
      'resident.registered',
      'resident.password_reset_requested',
      'resident.password_reset',
    ]) {
      assert.include(actions, action)
    }
    const everything = JSON.stringify(rows)
    for (const secret of [
      'Złe hasło 2026',
      PASSWORD,
      'nowe hasło do e-BOK',
      'inne nowe hasło mieszkańca',
      token,
    ]) {
      assert.notInclude(everything, secret)
    }
    for (const row of rows) {
      assert.match(row.occurred_at, /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/, 'UTC time')
      assert.isNotEmpty(row.actor_label, 'who')
    }
    const verification = await auditLog.verify()
    assert.isNull(verification.broken)
  })
})

test.group('Audit log / admin page', (group) => {
  group.each.setup(() => testUtils.db().withGlobalTransaction())
  group.each.setup(async () => {
    await resetSharedState()
    await withOffice()
  })

  test('lists entries newest first and filters by action', async ({ client, assert }) => {
    await recordSample()
    const admin = await StaffUser.findByOrFail('login', 'informatyk')
    const all = await client.get('/panel/admin/dziennik').signedIn('staff', admin)
    all.assertStatus(200)
    assert.include(all.text(), '<h1>Dziennik zdarzeń</h1>')
    all.assertHeader('cache-control', 'no-store')
    const body = tableBody(all.text())
    for (const entry of SAMPLE) assert.include(body, `<td>${entry.action}</td>`)
    assert.isBelow(body.indexOf('auth.logout'), body.indexOf('auth.login</td>'), 'newest first')
    assert.include(body, 'anna.nowak@example.pl')
    assert.include(body, '203.0.113.7')

    const filtered = await client
      .get('/panel/admin/dziennik?action=staff.created')
      .signedIn('staff', admin)
    filtered.assertStatus(200)
    const rows = tableBody(filtered.text())
    assert.include(rows, '<td>staff.created</td>')
    assert.include(rows, 'informatyk')
    for (const other of ['auth.login', 'office.updated', 'resident.registered', 'auth.logout']) {
      assert.notInclude(rows, `<td>${other}</td>`)
    }
    assert.include(filtered.text(), 'Wpisy: 1')

    const prefix = await client.get('/panel/admin/dziennik?action=auth.').signedIn('staff', admin)
    assert.include(prefix.text(), 'Wpisy: 2')

    const none = await client
      .get('/panel/admin/dziennik?action=nie.istnieje')
      .signedIn('staff', admin)
    assert.include(none.text(), 'Brak wpisów spełniających kryteria.')

    const byActor = await client
      .get('/panel/admin/dziennik?actor=jkowalski')
      .signedIn('staff', admin)
    assert.include(byActor.text(), 'Wpisy: 3')
  })

  test('filter values are data, not SQL or HTML', async ({ client, assert }) => {
    await recordSample()
    const admin = await StaffUser.findByOrFail('login', 'informatyk')
    const injection = await client
      .get('/panel/admin/dziennik')
      .qs({
        action: "x' OR '1'='1",
        actor: '<script>alert(1)</script>',
        subject: '1; DROP TABLE audit_entries',
      })
      .signedIn('staff', admin)
    injection.assertStatus(200)
    assert.include(injection.text(), 'Brak wpisów spełniających kryteria.')
    assert.notInclude(injection.text(), '<script>alert(1)</script>')
    assert.include(injection.text(), '&lt;script&gt;alert(1)&lt;/script&gt;')
    const count = await db.from('audit_entries').count('* as total').first()
    assert.equal(Number(count.total), SAMPLE.length)
  })

  test('the verify link reports an intact chain and then the broken entry', async ({
    client,
    assert,
  }) => {
    const rows = await recordSample()
    const admin = await StaffUser.findByOrFail('login', 'informatyk')
    const intact = await client.get('/panel/admin/dziennik?verify=1').signedIn('staff', admin)
    assert.include(intact.text(), `Dziennik jest spójny: sprawdzono ${SAMPLE.length} wpisów.`)

    await disableAppendOnly()
    await db.from('audit_entries').where('id', rows[3].id).update({ ip: '10.0.0.1' })
    const broken = await client.get('/panel/admin/dziennik?verify=1').signedIn('staff', admin)
    assert.include(broken.text(), `Łańcuch wpisów jest przerwany przy wpisie nr ${rows[3].id}.`)
  })

  test('forbidden (403) for a clerk, a manager and a treasurer', async ({ client, assert }) => {
    await recordSample()
    for (const role of ['clerk', 'manager', 'treasurer'] as const) {
      const user = await makeStaff(`user-${role}`, [role])
      const response = await client.get('/panel/admin/dziennik').signedIn('staff', user)
      response.assertStatus(403)
      assert.include(response.text(), 'Brak dostępu')
      assert.notInclude(response.text(), 'resident.registered')
    }
  })

  test('anonymous visitors are sent to the login page', async ({ client }) => {
    const response = await client.get('/panel/admin/dziennik').redirects(0)
    response.assertStatus(302)
    response.assertHeader('location', '/panel/logowanie')
  })
})

test.group('Audit log / ./ace audit:verify', () => {
  test('prints OK for an intact chain and BROKEN with exit code 1 after tampering', async ({
    assert,
  }) => {
    const dataDir = `tmp/audit-cli-${randomBytes(6).toString('hex')}`
    const env = { NODE_ENV: 'test', RATUSZ_DATA: dataDir, DB_CONNECTION: 'sqlite' }
    const connectionName = `audit_cli_${randomBytes(4).toString('hex')}`
    try {
      const migrated = await ace(['migration:run', '--force'], env)
      assert.equal(migrated.exitCode, 0, migrated.stderr + migrated.stdout)

      /* A connection of our own to the subprocess's database file. */
      const base = db.manager.get('sqlite')!.config as any
      db.manager.add(connectionName, {
        ...base,
        connection: { filename: `${PROJECT_ROOT}${dataDir}/ratusz.sqlite3` },
      })
      const client = db.connection(connectionName)
      for (const entry of SAMPLE.slice(0, 4))
        await client.transaction((trx) => auditLog.record(entry, trx))

      const ok = await ace(['audit:verify'], env)
      assert.equal(ok.exitCode, 0, ok.stderr)
      assert.equal(ok.stdout.trim(), 'audit chain OK: 4 entries verified')

      await disableAppendOnly(client)
      const second = await client.from('audit_entries').orderBy('id').offset(1).firstOrFail()
      await client.from('audit_entries').where('id', second.id).update({ actor_label: 'ktoś inny' })

      const broken = await ace(['audit:verify'], env)
      assert.equal(broken.exitCode, 1)
      assert.include(broken.stderr, `audit chain BROKEN at entry ${second.id}`)
      assert.include(broken.stderr, '(1 entries before it are intact)')
      assert.notInclude(broken.stdout, 'OK')
    } finally {
      if (db.manager.has(connectionName)) await db.manager.release(connectionName)
      await rm(`${PROJECT_ROOT}${dataDir}`, { recursive: true, force: true })
    }
  })
    .skip(process.env.DB_CONNECTION === 'pg', 'the subprocess needs its own SQLite database')
    .timeout(120_000)
})
