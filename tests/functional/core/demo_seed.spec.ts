import { test } from '@japa/runner'
import { mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { schedules } from '#core/services/scheduler'
import { runAce } from '#tests/helpers'

const ace = runAce

test.group('Demo data and schedules', () => {
  test('demo:seed fills an empty database once and prints the logins', async ({ assert }) => {
    /* The command runs in its own process and database (SQLite file in a temporary folder). */
    const dir = await mkdtemp(join(tmpdir(), 'ratusz-demo-'))
    const env = { NODE_ENV: 'test', DB_CONNECTION: 'sqlite', RATUSZ_DATA: dir, RATUSZ_DEMO: 'true' }
    try {
      const migrated = await ace(['migration:run', '--force'], env)
      assert.equal(migrated.exitCode, 0, migrated.stderr)
      const seeded = await ace(['demo:seed', '--json'], env)
      assert.equal(seeded.exitCode, 0, seeded.stderr)
      const logins = JSON.parse(seeded.stdout.trim().split('\n').pop()!)
      const byLogin = Object.fromEntries(logins.map((entry: any) => [entry.login, entry]))
      assert.properties(byLogin, [
        'admin',
        'sekretarz',
        'skarbnik',
        'urzednik',
        'nauczyciel',
        'mieszkaniec@przykladowa.localhost',
      ])
      assert.include(byLogin.admin.note, 'TOTP')

      const code = await ace(['demo:code', 'admin'], env)
      assert.match(code.stdout.trim(), /^\d{6}$/)

      const again = await ace(['demo:seed'], env)
      assert.equal(again.exitCode, 2)
      assert.include(again.stderr, 'not empty')
    } finally {
      await rm(dir, { recursive: true, force: true })
    }
  }).timeout(180_000)

  test('periodic jobs are registered with five-field cron expressions', ({ assert }) => {
    assert.isTrue(schedules.definitions.has('core.outbox-retry'))
    assert.throws(
      () =>
        schedules.register({
          id: 'bad',
          description: 'bad',
          cron: 'every minute',
          job: async () => ({ default: null }),
          payload: {},
        }),
      /not a five-field cron/
    )
    assert.isFalse(schedules.definitions.has('bad'))
  })
})
