import { test } from '@japa/runner'
import { createHash, randomBytes } from 'node:crypto'
import { existsSync } from 'node:fs'
import { mkdir, mkdtemp, readdir, readFile, rename, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join, relative } from 'node:path'
import Database from 'better-sqlite3'
import { runAce } from '#tests/helpers'
import { Restic } from '#appliance/services/restic'

/** Files under dir (relative path → sha256), skipping the live database files. */
async function hashes(dir: string) {
  const out: Record<string, string> = {}
  async function walk(current: string) {
    for (const entry of await readdir(current, { withFileTypes: true })) {
      const full = join(current, entry.name)
      if (entry.isDirectory()) await walk(full)
      else if (!entry.name.startsWith('ratusz.sqlite3') && entry.name !== 'backup-status.json')
        out[relative(dir, full)] = createHash('sha256')
          .update(await readFile(full))
          .digest('hex')
    }
  }
  await walk(dir)
  return out
}

function all<T>(file: string, sql: string): T[] {
  const database = new Database(file, { readonly: true })
  try {
    return database.prepare(sql).all() as T[]
  } finally {
    database.close()
  }
}

interface Probe {
  writer: number
  seq: number
  payload: string
}

/** A data directory, a "backup disk" and a partner repository in a temp folder. */
async function appliance() {
  const base = await mkdtemp(join(tmpdir(), 'ratusz-backup-'))
  await mkdir(join(base, 'disk'))
  await mkdir(join(base, 'partner'))
  const env = {
    NODE_ENV: 'test',
    DB_CONNECTION: 'sqlite',
    RATUSZ_DATA: join(base, 'data'),
    RATUSZ_BACKUP_DIR: join(base, 'disk'),
    RATUSZ_BACKUP_PASSWORD_FILE: join(base, 'keys/backup-password'),
    RATUSZ_BACKUP_PARTNER_REPOSITORY: join(base, 'partner/restic'),
    RATUSZ_BACKUP_PARTNER_PASSWORD_FILE: join(base, 'keys/backup-password'),
  }
  const migrated = await runAce(['migration:run', '--force'], env)
  if (migrated.exitCode !== 0) throw new Error(migrated.stderr)
  return { base, env, data: env.RATUSZ_DATA, database: join(env.RATUSZ_DATA, 'ratusz.sqlite3') }
}

async function writeFiles(data: string) {
  for (let i = 0; i < 12; i++) {
    const dir = join(data, 'files', `sprawa-${i % 4}`, `${2026 - (i % 3)}`)
    await mkdir(dir, { recursive: true })
    await writeFile(join(dir, `pismo-${i}.pdf`), randomBytes(20_000 + i * 7_000))
  }
  await mkdir(join(data, 'documents'), { recursive: true })
  await writeFile(join(data, 'documents', 'decyzja ą ę.txt'), 'Decyzja w sprawie podatku — zażółć')
}

test.group('Appliance / backups', (group) => {
  const cleanups: string[] = []
  group.teardown(async () => {
    for (const dir of cleanups) await rm(dir, { recursive: true, force: true })
  })

  test('backup while 20 writers insert, wipe the data, restore: every committed row and file is back', async ({
    assert,
  }) => {
    const { base, env, data, database } = await appliance()
    cleanups.push(base)
    await writeFiles(data)
    const setup = new Database(database)
    setup.exec(
      'PRAGMA journal_mode = WAL; CREATE TABLE appliance_probe (writer INTEGER NOT NULL, seq INTEGER NOT NULL, payload TEXT NOT NULL, PRIMARY KEY (writer, seq))'
    )
    setup.close()

    const committed: (Probe & { at: number })[] = []
    let stop = false
    const writers = Array.from({ length: 20 }, async (_, writer) => {
      const connection = new Database(database)
      connection.pragma('busy_timeout = 10000')
      const insert = connection.prepare(
        'INSERT INTO appliance_probe (writer, seq, payload) VALUES (?, ?, ?)'
      )
      let seq = 0
      while (!stop) {
        seq++
        const payload = `${writer}:${seq}:${randomBytes(8).toString('hex')}`
        insert.run(writer, seq, payload)
        committed.push({ writer, seq, payload, at: Date.now() })
        /* The driver is synchronous: yield so the other writers and the backup's output run. */
        await new Promise((resolve) => setImmediate(resolve))
      }
      connection.close()
    })
    // Let the writers get going before the snapshot.
    while (committed.length < 100) await new Promise((resolve) => setTimeout(resolve, 20))
    const backup = await runAce(['backup:run'], env)
    stop = true
    await Promise.all(writers)
    assert.equal(backup.exitCode, 0, backup.stderr)
    assert.match(backup.stdout, /^backup OK: snapshot [0-9a-f]{8}/)
    assert.include(backup.stdout, 'partner copy ok')

    const liveFiles = await hashes(data)
    const liveRows = all<Probe>(database, 'SELECT writer, seq, payload FROM appliance_probe')
    assert.isAbove(liveRows.length, 100)

    // Inspection restore: the manifest tells when the database snapshot began.
    const inspect = join(base, 'inspect')
    const restoredCopy = await runAce(['backup:restore', 'latest', '--target', inspect], env)
    assert.equal(restoredCopy.exitCode, 0, restoredCopy.stderr)
    const manifest = JSON.parse(
      await readFile(join(inspect, data, 'backup-staging', 'manifest.json'), 'utf8')
    )
    assert.equal(manifest.database, 'sqlite')
    assert.include(
      await readFile(join(inspect, data, 'backup-staging', 'secrets.env'), 'utf8'),
      'APP_KEY='
    )

    // The disaster: the whole data directory is gone.
    await rm(data, { recursive: true, force: true })
    const restore = await runAce(['backup:restore', 'latest', '--in-place'], env)
    assert.equal(restore.exitCode, 0, restore.stderr)
    assert.include(restore.stdout, 'restored the snapshot')

    const rows = all<Probe>(
      database,
      'SELECT writer, seq, payload FROM appliance_probe ORDER BY writer, seq'
    )
    const integrity = all<{ integrity_check: string }>(database, 'PRAGMA integrity_check')
    assert.equal(integrity[0].integrity_check, 'ok')
    assert.equal(rows.length, manifest.tables.appliance_probe)

    const restoredByKey = new Map(rows.map((r) => [`${r.writer}:${r.seq}`, r.payload]))
    const mustBeThere = committed.filter((c) => c.at < manifest.databaseSnapshotAt)
    assert.isAbove(mustBeThere.length, 50)
    for (const row of mustBeThere) {
      assert.equal(restoredByKey.get(`${row.writer}:${row.seq}`), row.payload)
    }
    // A consistent snapshot: each writer's rows are a gap-free prefix, equal to the live rows.
    const liveByKey = new Map(liveRows.map((r) => [`${r.writer}:${r.seq}`, r.payload]))
    for (let writer = 0; writer < 20; writer++) {
      const seqs = rows.filter((r) => r.writer === writer).map((r) => r.seq)
      assert.deepEqual(
        seqs,
        seqs.map((_, i) => i + 1),
        `writer ${writer}`
      )
    }
    for (const row of rows) assert.equal(liveByKey.get(`${row.writer}:${row.seq}`), row.payload)

    assert.deepEqual(await hashes(data), liveFiles)
    assert.isFalse(existsSync(join(data, 'backup-staging')))

    // The partner gmina's repository holds the same snapshot.
    const partner = new Restic({
      repository: env.RATUSZ_BACKUP_PARTNER_REPOSITORY,
      passwordFile: env.RATUSZ_BACKUP_PASSWORD_FILE,
    })
    assert.lengthOf(await partner.snapshots(), 1)

    const drill = await runAce(['backup:drill', '--json'], env)
    assert.equal(drill.exitCode, 0, drill.stderr)
    const report = JSON.parse(drill.stdout.trim().split('\n').at(-1)!)
    assert.deepEqual(report.problems, [])
    assert.equal(report.files.restored, Object.keys(liveFiles).length)
    assert.equal(report.files.same, Object.keys(liveFiles).length)
    const probe = report.tables.find((t: { name: string }) => t.name === 'appliance_probe')
    assert.equal(probe.snapshot, manifest.tables.appliance_probe)
  }).timeout(120_000)

  test('retention keeps the newest days, the last of each week and of each month', async ({
    assert,
  }) => {
    const base = await mkdtemp(join(tmpdir(), 'ratusz-retention-'))
    cleanups.push(base)
    await mkdir(join(base, 'src'))
    await writeFile(join(base, 'password'), 'correct horse battery staple\n', { mode: 0o600 })
    const restic = new Restic({
      repository: join(base, 'repo'),
      passwordFile: join(base, 'password'),
    })
    await restic.init()
    const days = [
      '2026-01-10',
      '2026-02-10',
      '2026-03-02',
      '2026-03-09',
      '2026-03-16',
      '2026-03-17',
      '2026-03-18',
      '2026-03-19',
      '2026-03-20',
    ]
    for (const day of days) {
      await writeFile(join(base, 'src', 'day.txt'), day)
      await restic.backup([join(base, 'src')], { host: 'urzad', time: `${day} 01:30:00` })
    }
    const { kept, removed } = await restic.forget({ daily: 3, weekly: 2, monthly: 2 })
    const dayOf = (s: { time: string }) => s.time.slice(0, 10)
    // daily: 20, 19, 18 March; weekly: week 12 (20 March) and week 11 (9 March); monthly: March, February.
    assert.sameMembers(kept.map(dayOf), [
      '2026-03-20',
      '2026-03-19',
      '2026-03-18',
      '2026-03-09',
      '2026-02-10',
    ])
    assert.sameMembers(removed.map(dayOf), ['2026-01-10', '2026-03-02', '2026-03-16', '2026-03-17'])
    const left = await restic.snapshots()
    assert.sameMembers(left.map(dayOf), kept.map(dayOf))
  }).timeout(60_000)

  test('a wrong password and a missing disk give clear errors', async ({ assert }) => {
    const { base, env } = await appliance()
    cleanups.push(base)
    const first = await runAce(['backup:run'], env)
    assert.equal(first.exitCode, 0, first.stderr)

    await writeFile(join(base, 'wrong-password'), 'not the password\n', { mode: 0o600 })
    const wrong = await runAce(['backup:run'], {
      ...env,
      RATUSZ_BACKUP_PASSWORD_FILE: join(base, 'wrong-password'),
    })
    assert.equal(wrong.exitCode, 1)
    assert.include(wrong.stderr, `does not accept the password in ${join(base, 'wrong-password')}`)
    assert.include(wrong.stderr, 'wrong password')

    const noDisk = await runAce(['backup:run'], {
      ...env,
      RATUSZ_BACKUP_DIR: join(base, 'unplugged'),
    })
    assert.equal(noDisk.exitCode, 1)
    assert.include(
      noDisk.stderr,
      `The backup disk is not available: ${join(base, 'unplugged')} does not exist. Is the disk connected and mounted?`
    )

    // An empty mount point (the disk not mounted): never start a new repository there.
    await rename(join(base, 'disk'), join(base, 'disk-elsewhere'))
    await mkdir(join(base, 'disk'))
    const empty = await runAce(['backup:run'], env)
    assert.equal(empty.exitCode, 1)
    assert.include(empty.stderr, 'is missing although a backup succeeded')
    assert.isFalse(existsSync(join(base, 'disk', 'restic')))

    const listing = await runAce(['backup:list'], env)
    assert.equal(listing.exitCode, 1)
    assert.include(listing.stderr, 'There is no backup repository at')

    const status = JSON.parse(await readFile(join(env.RATUSZ_DATA, 'backup-status.json'), 'utf8'))
    assert.deepEqual(
      status.runs.map((r: { result: string }) => r.result),
      ['ok', 'failed', 'failed', 'failed']
    )
  }).timeout(120_000)
})
