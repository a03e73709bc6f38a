/*
 * Backups of the whole data directory with restic. The live database is never copied as
 * a file: a consistent snapshot goes to backup-staging/ first (SQLite `VACUUM INTO`, one
 * read transaction while the app keeps writing; PostgreSQL `pg_dump -Fc` checked with
 * `pg_restore --list`), with a manifest of row counts and the secrets a restore needs.
 * A failed snapshot means no backup. Restore goes to a fresh folder first and replaces the
 * live data only when everything is in place.
 */
import { spawn } from 'node:child_process'
import { createHash } from 'node:crypto'
import { createReadStream, existsSync } from 'node:fs'
import {
  chmod,
  mkdir,
  mkdtemp,
  readdir,
  readFile,
  rename,
  rm,
  stat,
  writeFile,
} from 'node:fs/promises'
import { hostname, tmpdir } from 'node:os'
import { dirname, join, relative } from 'node:path'
import { randomBytes } from 'node:crypto'
import db from '@adonisjs/lucid/services/db'
import app from '@adonisjs/core/services/app'
import ratuszConfig from '#config/ratusz'
import applianceConfig from '#config/appliance'
import { Restic, ResticError, type ResticSnapshot } from '#appliance/services/restic'
import { countRows, dialectOf, withSqliteFile } from '#appliance/services/db_tables'
import { todayInWarsaw } from '#core/services/calendar'

export const STAGING = 'backup-staging'
export const STATUS_FILE = 'backup-status.json'
const SQLITE_FILE = 'ratusz.sqlite3'
const SNAPSHOT_SQLITE = 'database.sqlite3'
const SNAPSHOT_PG = 'database.pgdump'

export interface Manifest {
  app: 'ratusz'
  version: string
  createdAt: string
  /** Epoch ms just before the database snapshot began: every row committed earlier is in it. */
  databaseSnapshotAt: number
  database: 'sqlite' | 'pg'
  tables: Record<string, number>
  secrets: string[]
}

export interface BackupRunRecord {
  startedAt: string
  finishedAt: string
  durationMs: number
  result: 'ok' | 'partial' | 'failed'
  tag: string | null
  snapshot: string | null
  bytesAdded: number
  bytesProcessed: number
  files: number
  error: string | null
  partner: 'ok' | 'failed' | null
}

export interface BackupStatus {
  runs: BackupRunRecord[]
  lastSuccessAt: string | null
  lastCheck: { at: string; ok: boolean; error: string | null } | null
  partnerError: string | null
}

export interface DrillReport {
  snapshot: string
  durationMs: number
  tables: { name: string; snapshot: number; manifest: number; live: number | null }[]
  files: { restored: number; same: number; changedSince: number; missingLive: number }
  problems: string[]
}

export async function appVersion(): Promise<string> {
  const pkg = JSON.parse(await readFile(join(app.appRoot.pathname, 'package.json'), 'utf8'))
  return pkg.version
}

function newer(a: string, b: string) {
  const pa = a.split('.').map(Number)
  const pb = b.split('.').map(Number)
  for (let i = 0; i < 3; i++) {
    if ((pa[i] ?? 0) !== (pb[i] ?? 0)) return (pa[i] ?? 0) > (pb[i] ?? 0)
  }
  return false
}

function exec(command: string, args: string[], env: NodeJS.ProcessEnv = {}) {
  return new Promise<{ code: number; stdout: string; stderr: string }>((resolve, reject) => {
    const child = spawn(command, args, { env: { ...process.env, ...env } })
    let stdout = ''
    let stderr = ''
    child.stdout.on('data', (c: Buffer) => (stdout += c.toString()))
    child.stderr.on('data', (c: Buffer) => (stderr += c.toString()))
    child.on('error', reject)
    child.on('close', (code) => resolve({ code: code ?? 1, stdout, stderr }))
  })
}

async function sha256File(path: string) {
  const hash = createHash('sha256')
  for await (const chunk of createReadStream(path)) hash.update(chunk)
  return hash.digest('hex')
}

async function walkFiles(root: string, skip: (rel: string) => boolean): Promise<string[]> {
  const out: string[] = []
  async function walk(dir: string) {
    for (const entry of await readdir(dir, { withFileTypes: true })) {
      const full = join(dir, entry.name)
      const rel = relative(root, full)
      if (skip(rel)) continue
      if (entry.isDirectory()) await walk(full)
      else if (entry.isFile()) out.push(rel)
    }
  }
  if (existsSync(root)) await walk(root)
  return out.sort()
}

/** Entries of the data directory that are not data: live database files, staging, restore leftovers. */
function notData(rel: string) {
  const top = rel.split('/')[0]
  return (
    top.startsWith(SQLITE_FILE) ||
    top === STAGING ||
    top === STATUS_FILE ||
    top.startsWith('.restore-') ||
    top.startsWith('.before-restore-') ||
    top === 'tmp'
  )
}

function pgEnv(): NodeJS.ProcessEnv {
  const connection = db.connection().getWriteClient().client.config.connection as {
    host: string
    port: number
    user: string
    password?: string
    database: string
  }
  return {
    PGHOST: connection.host,
    PGPORT: String(connection.port),
    PGUSER: connection.user,
    PGPASSWORD: connection.password ?? '',
    PGDATABASE: connection.database,
  }
}

export class BackupService {
  readonly dataDir = ratuszConfig.dataDir
  readonly settings = applianceConfig.backup

  primary() {
    return new Restic({
      repository: this.settings.repository,
      passwordFile: this.settings.passwordFile,
      cacheDir: this.settings.cacheDir || undefined,
    })
  }

  partner() {
    if (!this.settings.partnerRepository) return null
    return new Restic({
      repository: this.settings.partnerRepository,
      passwordFile: this.settings.partnerPasswordFile || this.settings.passwordFile,
      cacheDir: this.settings.cacheDir || undefined,
    })
  }

  async status(): Promise<BackupStatus> {
    try {
      return JSON.parse(await readFile(join(this.dataDir, STATUS_FILE), 'utf8'))
    } catch {
      return { runs: [], lastSuccessAt: null, lastCheck: null, partnerError: null }
    }
  }

  private async saveStatus(status: BackupStatus) {
    status.runs = status.runs.slice(-60)
    const path = join(this.dataDir, STATUS_FILE)
    await writeFile(`${path}.tmp`, JSON.stringify(status, null, 2), { mode: 0o640 })
    await rename(`${path}.tmp`, path)
  }

  /**
   * The repository is created only before the first successful backup: a missing
   * repository after that means the wrong (or no) disk is mounted, not "start over".
   */
  private async ensureRepository(restic: Restic) {
    if (await restic.exists()) return
    const status = await this.status()
    if (status.lastSuccessAt) {
      throw new ResticError(
        'no-repository',
        `The backup repository ${restic.options.repository} is missing although a backup succeeded on ${status.lastSuccessAt}. Is the backup disk mounted?`
      )
    }
    if (!existsSync(restic.options.passwordFile)) {
      await mkdir(dirname(restic.options.passwordFile), { recursive: true, mode: 0o700 })
      await writeFile(restic.options.passwordFile, `${randomBytes(30).toString('base64url')}\n`, {
        mode: 0o600,
        flag: 'wx',
      })
    }
    await restic.init()
  }

  /** Consistent database copy plus manifest and secrets in backup-staging/. */
  async stage(): Promise<Manifest> {
    const staging = join(this.dataDir, STAGING)
    await rm(staging, { recursive: true, force: true })
    await mkdir(staging, { recursive: true, mode: 0o700 })
    const client = db.connection()
    const dialect = dialectOf(client)
    const databaseSnapshotAt = Date.now()
    let tables: Record<string, number>
    if (dialect === 'sqlite') {
      const file = join(staging, SNAPSHOT_SQLITE)
      await client.rawQuery('VACUUM INTO ?', [file])
      tables = await withSqliteFile(file, (copy) => countRows(copy))
    } else {
      const file = join(staging, SNAPSHOT_PG)
      const dump = await exec('pg_dump', ['-Fc', '--no-owner', '-f', file], pgEnv())
      if (dump.code !== 0) throw new Error(`pg_dump failed: ${dump.stderr.trim()}`)
      const list = await exec('pg_restore', ['--list', file])
      if (list.code !== 0)
        throw new Error(`pg_dump wrote an unreadable dump: ${list.stderr.trim()}`)
      tables = await countRows(client)
    }
    // Without APP_KEY the restored sessions, TOTP secrets and signed links are unreadable.
    const secrets = ['APP_KEY']
    await writeFile(
      join(staging, 'secrets.env'),
      secrets.map((k) => `${k}=${process.env[k] ?? ''}\n`).join(''),
      { mode: 0o600 }
    )
    const manifest: Manifest = {
      app: 'ratusz',
      version: await appVersion(),
      createdAt: new Date().toISOString(),
      databaseSnapshotAt,
      database: dialect,
      tables,
      secrets,
    }
    await writeFile(join(staging, 'manifest.json'), JSON.stringify(manifest, null, 2))
    return manifest
  }

  async run(options: { tag?: string; time?: string } = {}): Promise<BackupRunRecord> {
    const started = Date.now()
    const status = await this.status()
    const record: BackupRunRecord = {
      startedAt: new Date(started).toISOString(),
      finishedAt: '',
      durationMs: 0,
      result: 'failed',
      tag: options.tag ?? null,
      snapshot: null,
      bytesAdded: 0,
      bytesProcessed: 0,
      files: 0,
      error: null,
      partner: null,
    }
    const restic = this.primary()
    try {
      restic.assertDiskPresent()
      await this.ensureRepository(restic)
      await this.stage()
      const summary = await restic.backup([this.dataDir], {
        tags: ['ratusz', ...(options.tag ? [options.tag] : [])],
        excludes: [
          join(this.dataDir, `${SQLITE_FILE}*`),
          join(this.dataDir, STATUS_FILE),
          join(this.dataDir, '.restore-*'),
          join(this.dataDir, '.before-restore-*'),
          join(this.dataDir, 'tmp'),
        ],
        host: hostname(),
        time: options.time,
      })
      record.result = 'ok'
      record.snapshot = summary.snapshot_id
      record.bytesAdded = summary.data_added
      record.bytesProcessed = summary.total_bytes_processed
      record.files = summary.total_files_processed
      status.lastSuccessAt = record.startedAt
      await restic.forget(this.settings.keep)
      const partner = this.partner()
      if (partner) {
        try {
          await this.ensurePartner(partner)
          await restic.copyTo(partner)
          record.partner = 'ok'
          status.partnerError = null
        } catch (error) {
          record.partner = 'failed'
          status.partnerError = (error as Error).message
        }
      }
    } catch (error) {
      record.result =
        error instanceof ResticError && error.kind === 'partial' ? 'partial' : 'failed'
      record.error = (error as Error).message
    } finally {
      await rm(join(this.dataDir, STAGING), { recursive: true, force: true })
      record.finishedAt = new Date().toISOString()
      record.durationMs = Date.now() - started
      status.runs.push(record)
      await this.saveStatus(status)
    }
    if (record.result !== 'ok') await this.notifyFailure(record)
    return record
  }

  private async ensurePartner(partner: Restic) {
    if (!(await partner.exists())) await partner.init()
  }

  /** One e-mail a day at most: a failing nightly run and its manual retries say the same thing. */
  private async mailAdmin(kind: 'failed' | 'stale', day: string, subject: string, text: string) {
    if (!applianceConfig.adminEmail) return false
    const { default: outbox } = await import('#core/services/outbox')
    await outbox.enqueueEmail({
      to: applianceConfig.adminEmail,
      subject,
      text,
      idempotencyKey: `appliance.backup-${kind}.${day}`,
    })
    return true
  }

  private async notifyFailure(record: BackupRunRecord) {
    try {
      await this.mailAdmin(
        'failed',
        todayInWarsaw(new Date(record.startedAt)),
        `Ratusz: kopia zapasowa nie powiodła się (${record.startedAt.slice(0, 10)})`,
        `Kopia zapasowa z ${record.startedAt} zakończyła się stanem "${record.result}".\n\n${record.error}\n\nSprawdź: ratusz doctor`
      )
    } catch {
      // The failure is already in the status file and the exit code.
    }
  }

  /**
   * Hourly check (scheduled job): no successful backup for maxAgeHours mails the administrator,
   * once a day. Before the first success the age counts from the data directory's creation,
   * so a backup timer that never ran is caught too.
   */
  async alertIfStale(now = new Date()): Promise<{
    stale: boolean
    since: string
    ageHours: number
    mailed: boolean
  }> {
    const status = await this.status()
    const created = status.lastSuccessAt ? null : await stat(this.dataDir)
    const since = created ? created.birthtime : new Date(status.lastSuccessAt!)
    const ageHours = (now.getTime() - since.getTime()) / 3_600_000
    const stale = ageHours >= this.settings.maxAgeHours
    let mailed = false
    if (stale) {
      const last = status.lastSuccessAt
        ? `Ostatnia udana kopia: ${status.lastSuccessAt} (${Math.floor(ageHours)} godz. temu).`
        : 'Nie było jeszcze żadnej udanej kopii.'
      const lastRun = status.runs.at(-1)
      const failure = lastRun?.error
        ? `\nOstatnia próba (${lastRun.startedAt}): ${lastRun.error}`
        : ''
      mailed = await this.mailAdmin(
        'stale',
        todayInWarsaw(now),
        `Ratusz: brak kopii zapasowej od ${Math.floor(ageHours)} godz.`,
        `Od ${this.settings.maxAgeHours} godzin nie powstała żadna kopia zapasowa.\n${last}${failure}\n\nSprawdź: ratusz doctor, ratusz status, journalctl -u ratusz-backup.service`
      )
    }
    return { stale, since: since.toISOString(), ageHours, mailed }
  }

  async snapshots(tag?: string): Promise<ResticSnapshot[]> {
    return this.primary().snapshots(tag)
  }

  private async pick(snapshot: string, tag?: string): Promise<ResticSnapshot> {
    const snapshots = await this.snapshots(tag)
    if (!snapshots.length) throw new Error('The backup repository has no snapshots yet.')
    const found =
      snapshot === 'latest'
        ? snapshots.at(-1)
        : snapshots.find((s) => s.id.startsWith(snapshot) || s.short_id === snapshot)
    if (!found) throw new Error(`No snapshot "${snapshot}" in the backup repository.`)
    return found
  }

  /** Restores a snapshot into target; returns the restored data directory and its manifest. */
  async restoreInto(snapshot: string, target: string, tag?: string) {
    const chosen = await this.pick(snapshot, tag)
    await this.primary().restore(chosen.id, target)
    const restoredData = join(target, chosen.paths[0])
    const manifestPath = join(restoredData, STAGING, 'manifest.json')
    if (!existsSync(manifestPath)) {
      throw new Error(`Snapshot ${chosen.short_id} has no manifest: it was not made by Ratusz.`)
    }
    const manifest = JSON.parse(await readFile(manifestPath, 'utf8')) as Manifest
    const current = await appVersion()
    if (manifest.app !== 'ratusz')
      throw new Error(`Snapshot ${chosen.short_id} is not a Ratusz backup.`)
    if (newer(manifest.version, current)) {
      throw new Error(
        `Snapshot ${chosen.short_id} was made by Ratusz ${manifest.version}, newer than this ${current}: update first.`
      )
    }
    return { snapshot: chosen, restoredData, manifest }
  }

  /**
   * Puts a snapshot in place of the live data. The services must be stopped (the CLI does
   * it). The live entries are moved aside and come back when anything fails.
   */
  async restoreInPlace(snapshot: string, tag?: string) {
    await mkdir(this.dataDir, { recursive: true })
    const stamp = Date.now()
    const work = join(this.dataDir, `.restore-${stamp}`)
    const aside = join(this.dataDir, `.before-restore-${stamp}`)
    await mkdir(work, { mode: 0o700 })
    const moved: string[] = []
    try {
      const { restoredData, manifest } = await this.restoreInto(snapshot, work, tag)
      const client = db.connection()
      if (manifest.database !== dialectOf(client)) {
        throw new Error(
          `The snapshot holds a ${manifest.database} database but DB_CONNECTION is ${dialectOf(client)}: switch the setting first.`
        )
      }
      await db.manager.closeAll()
      await mkdir(aside)
      for (const entry of await readdir(this.dataDir)) {
        if (entry === `.restore-${stamp}` || entry === `.before-restore-${stamp}`) continue
        await rename(join(this.dataDir, entry), join(aside, entry))
        moved.push(entry)
      }
      for (const entry of await readdir(restoredData)) {
        if (entry === STAGING) continue
        await rename(join(restoredData, entry), join(this.dataDir, entry))
      }
      const staging = join(restoredData, STAGING)
      if (manifest.database === 'sqlite') {
        await rename(join(staging, SNAPSHOT_SQLITE), join(this.dataDir, SQLITE_FILE))
        await chmod(join(this.dataDir, SQLITE_FILE), 0o640)
      } else {
        const result = await exec(
          'pg_restore',
          [
            '--clean',
            '--if-exists',
            '--no-owner',
            '--single-transaction',
            '-d',
            pgEnv().PGDATABASE!,
            join(staging, SNAPSHOT_PG),
          ],
          pgEnv()
        )
        if (result.code !== 0) throw new Error(`pg_restore failed: ${result.stderr.trim()}`)
      }
      await rm(aside, { recursive: true, force: true })
      return manifest
    } catch (error) {
      // Put the live data back exactly as it was.
      for (const entry of await readdir(this.dataDir)) {
        if (entry.startsWith('.restore-') || entry.startsWith('.before-restore-')) continue
        if (moved.includes(entry)) continue
        await rm(join(this.dataDir, entry), { recursive: true, force: true })
      }
      for (const entry of moved) await rename(join(aside, entry), join(this.dataDir, entry))
      await rm(aside, { recursive: true, force: true })
      throw error
    } finally {
      await rm(work, { recursive: true, force: true })
    }
  }

  /**
   * Restores the latest snapshot into a temporary folder and compares it with the manifest
   * and the live data: row counts per table and file hashes.
   */
  async drill(): Promise<DrillReport> {
    const started = Date.now()
    const work = await mkdtemp(join(tmpdir(), 'ratusz-drill-'))
    try {
      const { snapshot, restoredData, manifest } = await this.restoreInto('latest', work)
      const problems: string[] = []
      const live =
        manifest.database === dialectOf(db.connection()) ? await countRows(db.connection()) : null
      let restoredCounts: Record<string, number> = {}
      if (manifest.database === 'sqlite') {
        const file = join(restoredData, STAGING, SNAPSHOT_SQLITE)
        restoredCounts = await withSqliteFile(file, async (copy) => {
          const check = await copy.rawQuery('PRAGMA integrity_check')
          const verdict = (check as { integrity_check: string }[])[0]?.integrity_check
          if (verdict !== 'ok')
            problems.push(`integrity_check of the restored database: ${verdict}`)
          return countRows(copy)
        })
      } else {
        const list = await exec('pg_restore', ['--list', join(restoredData, STAGING, SNAPSHOT_PG)])
        if (list.code !== 0) problems.push(`the restored dump is unreadable: ${list.stderr.trim()}`)
        restoredCounts = manifest.tables
      }
      const tables = Object.keys(manifest.tables)
        .sort()
        .map((name) => ({
          name,
          manifest: manifest.tables[name],
          snapshot: restoredCounts[name] ?? -1,
          live: live ? (live[name] ?? null) : null,
        }))
      for (const t of tables) {
        if (t.snapshot !== t.manifest) {
          problems.push(
            `table ${t.name}: ${t.snapshot} rows restored, the backup recorded ${t.manifest}`
          )
        }
      }
      const restoredFiles = await walkFiles(restoredData, notData)
      let same = 0
      let changedSince = 0
      let missingLive = 0
      for (const rel of restoredFiles) {
        const livePath = join(this.dataDir, rel)
        if (!existsSync(livePath)) {
          missingLive++
          continue
        }
        const [a, b] = await Promise.all([
          sha256File(join(restoredData, rel)),
          sha256File(livePath),
        ])
        if (a === b) same++
        else changedSince++
      }
      return {
        snapshot: snapshot.short_id,
        durationMs: Date.now() - started,
        tables,
        files: { restored: restoredFiles.length, same, changedSince, missingLive },
        problems,
      }
    } finally {
      await rm(work, { recursive: true, force: true })
    }
  }

  async check(readDataSubset = '1/10') {
    const status = await this.status()
    try {
      await this.primary().check(readDataSubset)
      status.lastCheck = { at: new Date().toISOString(), ok: true, error: null }
    } catch (error) {
      status.lastCheck = {
        at: new Date().toISOString(),
        ok: false,
        error: (error as Error).message,
      }
    }
    await this.saveStatus(status)
    return status.lastCheck
  }

  async forget() {
    return this.primary().forget(this.settings.keep)
  }

  async copyToPartner() {
    const partner = this.partner()
    if (!partner) throw new Error('No partner repository: set RATUSZ_BACKUP_PARTNER_REPOSITORY.')
    await this.ensurePartner(partner)
    return this.primary().copyTo(partner)
  }

  /** Hashes of every data file (for tests and the drill): relative path → sha256. */
  async fileHashes(root = this.dataDir) {
    const result: Record<string, string> = {}
    for (const rel of await walkFiles(root, notData))
      result[rel] = await sha256File(join(root, rel))
    return result
  }
}

const backupService = new BackupService()
export default backupService
