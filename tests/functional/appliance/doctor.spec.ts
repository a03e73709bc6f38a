import { test } from '@japa/runner'
import { execFile } from 'node:child_process'
import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { runAce } from '#tests/helpers'

const PROJECT_ROOT = fileURLToPath(new URL('../../../', import.meta.url))

interface Check {
  id: string
  status: 'ok' | 'warn' | 'fail'
  detail: string
  hint: string | null
}

function byId(stdout: string) {
  const checks = JSON.parse(stdout.trim().split('\n').at(-1)!) as Check[]
  return Object.fromEntries(checks.map((c) => [c.id, c]))
}

test.group('Appliance / doctor', (group) => {
  let base: string
  let env: Record<string, string>
  group.each.setup(async () => {
    base = await mkdtemp(join(tmpdir(), 'ratusz-doctor-'))
    env = {
      NODE_ENV: 'test',
      DB_CONNECTION: 'sqlite',
      RATUSZ_DATA: join(base, 'data'),
      RATUSZ_BACKUP_DIR: join(base, 'disk'),
      RATUSZ_BACKUP_PASSWORD_FILE: join(base, 'keys/backup-password'),
      RATUSZ_ENV_FILE: join(base, 'ratusz.env'),
    }
    const migrated = await runAce(['migration:run', '--force'], env)
    if (migrated.exitCode !== 0) throw new Error(migrated.stderr)
    return () => rm(base, { recursive: true, force: true })
  })

  test('FAIL with a hint when the backup disk is missing; ratusz doctor exits 1 too', async ({
    assert,
  }) => {
    const run = await runAce(['doctor', '--json'], env)
    assert.equal(run.exitCode, 1)
    const checks = byId(run.stdout)
    assert.equal(checks['backup-repository'].status, 'fail')
    assert.include(checks['backup-repository'].detail, 'The backup disk is not available')
    assert.include(checks['backup-repository'].hint!, 'mount the backup disk')
    assert.equal(checks['backup-age'].status, 'fail')
    assert.equal(checks.database.status, 'ok')
    assert.equal(checks.node.status, 'ok')
    /* No web server has written event-loop figures into this data directory. */
    assert.equal(checks['event-loop'].status, 'warn')
    assert.include(checks['event-loop'].detail, 'no figures from the last 5 minutes')

    const cli = await new Promise<{ code: number; stdout: string }>((resolve) =>
      execFile(
        join(PROJECT_ROOT, 'appliance/bin/ratusz'),
        ['doctor'],
        {
          env: { ...process.env, ...env, RATUSZ_HOME: PROJECT_ROOT, RATUSZ_AS_ROOT: '1' },
          timeout: 60_000,
        },
        (error, stdout) => resolve({ code: error ? Number(error.code) : 0, stdout })
      )
    )
    assert.equal(cli.code, 1)
    assert.match(cli.stdout, /^FAIL {2}Backup repository/m)
    assert.match(cli.stdout, /^doctor: \d+ FAIL, \d+ WARN, \d+ OK$/m)
  }).timeout(60_000)

  test('OK after a backup, FAIL when the last success is older than 26 hours', async ({
    assert,
  }) => {
    await mkdir(join(base, 'disk'))
    const backup = await runAce(['backup:run'], env)
    assert.equal(backup.exitCode, 0, backup.stderr)
    const freshRun = await runAce(['doctor', '--json'], env)
    const fresh = byId(freshRun.stdout)
    assert.equal(fresh['backup-age'].status, 'ok')
    assert.equal(fresh['backup-repository'].status, 'ok')
    // The temp "disk" shares the filesystem with the data: a warning, not a failure.
    assert.equal(fresh['backup-disk'].status, 'warn')

    const statusFile = join(env.RATUSZ_DATA, 'backup-status.json')
    const status = JSON.parse(await readFile(statusFile, 'utf8'))
    status.lastSuccessAt = new Date(Date.now() - 30 * 3_600_000).toISOString()
    await writeFile(statusFile, JSON.stringify(status))
    const stale = await runAce(['doctor', '--json'], env)
    assert.equal(stale.exitCode, 1)
    const checks = byId(stale.stdout)
    assert.equal(checks['backup-age'].status, 'fail')
    assert.include(checks['backup-age'].detail, 'last successful backup 30 h ago')
    assert.include(checks['backup-age'].hint!, 'No backup for over 26 h')
  }).timeout(90_000)

  test('WARN when the web server event-loop delay p99 over the last 5 minutes is above 50 ms', async ({
    assert,
  }) => {
    /* Five closed minutes before the running one, as the web server writes them. */
    const lastMinute = Math.floor(Date.now() / 60_000) * 60_000 - 60_000
    const write = (p99s: number[], windowP99: number) =>
      writeFile(
        join(env.RATUSZ_DATA, 'event-loop.json'),
        JSON.stringify({
          pid: 1,
          resolutionMs: 20,
          writtenAt: new Date().toISOString(),
          records: p99s.map((p99Ms, i) => ({
            minute: new Date(lastMinute - (p99s.length - 1 - i) * 60_000).toISOString(),
            samples: 3000,
            p50Ms: 0.3,
            p99Ms,
            maxMs: 150,
            utilisation: 0.2,
            last5Minutes: { minutes: 5, p99Ms: i === p99s.length - 1 ? windowP99 : p99Ms },
          })),
        })
      )

    await write([40, 75.5, 90, 66, 58], 71.3)
    const slow = await runAce(['doctor'], env)
    assert.match(
      slow.stdout,
      /^WARN {2}Event-loop delay +p99 71\.3 ms over the last 5 min \(limit 50 ms\); worst minute \d\d:\d\d UTC: p99 90\.0 ms, max 150\.0 ms$/m
    )
    assert.match(
      slow.stdout,
      /^ +-> Event-loop delay p99 is above 50 ms: something blocks the web server/m
    )

    await write([12, 9.5, 30, 14, 11], 21.7)
    const quickRun = await runAce(['doctor', '--json'], env)
    const quick = byId(quickRun.stdout)
    assert.equal(quick['event-loop'].status, 'ok')
    assert.include(quick['event-loop'].detail, 'p99 21.7 ms over the last 5 min (limit 50 ms)')
  }).timeout(60_000)
})
