import { test } from '@japa/runner'
import { mkdtemp, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import Database from 'better-sqlite3'
import { runAce } from '#tests/helpers'
import { schedules } from '#core/services/scheduler'
import { todayInWarsaw } from '#core/services/calendar'

interface OutboxRow {
  idempotency_key: string
  recipient: string
  subject: string
  body_text: string
}

function outboxRows(file: string) {
  const database = new Database(file, { readonly: true })
  try {
    return database
      .prepare(
        'SELECT idempotency_key, recipient, subject, body_text FROM outbox_messages ORDER BY id'
      )
      .all() as OutboxRow[]
  } finally {
    database.close()
  }
}

function hoursAgo(hours: number) {
  return new Date(Date.now() - hours * 3_600_000).toISOString()
}

async function writeStatus(data: string, lastSuccessAt: string) {
  const run = {
    startedAt: lastSuccessAt,
    finishedAt: lastSuccessAt,
    durationMs: 4200,
    result: 'ok',
    tag: null,
    snapshot: 'a1b2c3d4e5f6',
    bytesAdded: 1000,
    bytesProcessed: 100000,
    files: 12,
    error: null,
    partner: null,
  }
  await writeFile(
    join(data, 'backup-status.json'),
    JSON.stringify({ runs: [run], lastSuccessAt, lastCheck: null, partnerError: null })
  )
}

test.group('Appliance / backup alerts', (group) => {
  let base: string
  let env: Record<string, string>
  let database: string
  group.each.setup(async () => {
    base = await mkdtemp(join(tmpdir(), 'ratusz-alerts-'))
    env = {
      NODE_ENV: 'test',
      DB_CONNECTION: 'sqlite',
      RATUSZ_DATA: join(base, 'data'),
      RATUSZ_BACKUP_DIR: join(base, 'disk'),
      RATUSZ_BACKUP_PASSWORD_FILE: join(base, 'keys/backup-password'),
      RATUSZ_ADMIN_EMAIL: 'informatyk@testowa.localhost',
    }
    database = join(env.RATUSZ_DATA, 'ratusz.sqlite3')
    const migrated = await runAce(['migration:run', '--force'], env)
    if (migrated.exitCode !== 0) throw new Error(migrated.stderr)
    return () => rm(base, { recursive: true, force: true })
  })

  test('the hourly check is scheduled', async ({ assert }) => {
    const definition = schedules.definitions.get('appliance.backup-alert')
    assert.exists(definition)
    assert.match(definition!.cron, /^\d+ \* \* \* \*$/)
    const { default: job } = (await definition!.job()) as { default: { name: string } }
    assert.equal(job.name, 'BackupAlertJob')
  })

  test('no backup for 30 hours: one e-mail to the administrator; a second run the same day adds none', async ({
    assert,
  }) => {
    const last = hoursAgo(30)
    await writeStatus(env.RATUSZ_DATA, last)
    const first = await runAce(['backup:alerts', '--json'], env)
    assert.equal(first.exitCode, 1, first.stderr)
    const result = JSON.parse(first.stdout.trim().split('\n').at(-1)!)
    assert.isTrue(result.stale)
    assert.isTrue(result.mailed)
    assert.approximately(result.ageHours, 30, 0.2)

    const second = await runAce(['backup:alerts'], env)
    assert.equal(second.exitCode, 1)
    assert.include(second.stdout, 'STALE')

    const rows = await outboxRows(database)
    assert.lengthOf(rows, 1)
    assert.equal(rows[0].recipient, 'informatyk@testowa.localhost')
    assert.equal(rows[0].idempotency_key, `appliance.backup-stale.${todayInWarsaw()}`)
    assert.include(rows[0].subject, 'brak kopii zapasowej')
    assert.include(rows[0].body_text, last)
  })

  test('a backup 2 hours old: nothing to report, no e-mail', async ({ assert }) => {
    await writeStatus(env.RATUSZ_DATA, hoursAgo(2))
    const run = await runAce(['backup:alerts'], env)
    assert.equal(run.exitCode, 0, run.stderr)
    assert.include(run.stdout, 'fresh')
    assert.lengthOf(await outboxRows(database), 0)
  })

  test('a failing backup mails once a day however often it is retried', async ({ assert }) => {
    // No backup disk: RATUSZ_BACKUP_DIR does not exist.
    for (let i = 0; i < 2; i++) {
      const run = await runAce(['backup:run'], env)
      assert.equal(run.exitCode, 1)
      assert.include(run.stderr, 'The backup disk is not available')
    }
    const rows = await outboxRows(database)
    assert.lengthOf(rows, 1)
    assert.equal(rows[0].idempotency_key, `appliance.backup-failed.${todayInWarsaw()}`)
    assert.include(rows[0].subject, 'kopia zapasowa nie powiodła się')
    assert.include(rows[0].body_text, 'The backup disk is not available')
  })
})
