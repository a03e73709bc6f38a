/*
 * `ratusz doctor`: one pass over what keeps the office server healthy. Each check gives
 * OK, WARN or FAIL with a hint the part-time administrator can act on; the admin page
 * and the CLI print the same list.
 */
import { execFile } from 'node:child_process'
import { X509Certificate } from 'node:crypto'
import { existsSync } from 'node:fs'
import { readdir, readFile, stat, statfs } from 'node:fs/promises'
import { dirname, join } from 'node:path'
import db from '@adonisjs/lucid/services/db'
import app from '@adonisjs/core/services/app'
import ratuszConfig from '#config/ratusz'
import applianceConfig from '#config/appliance'
import backupService from '#appliance/services/backup_service'

export type CheckStatus = 'ok' | 'warn' | 'fail'

export interface CheckResult {
  id: string
  label: string
  status: CheckStatus
  detail: string
  hint: string | null
}

function run(command: string, args: string[]) {
  return new Promise<{ code: number; stdout: string }>((resolve) =>
    execFile(command, args, { timeout: 10_000 }, (error, stdout) =>
      resolve({ code: error ? (typeof error.code === 'number' ? error.code : 127) : 0, stdout })
    )
  )
}

const gb = (bytes: number) => `${(bytes / 1024 ** 3).toFixed(1)} GB`

function result(
  id: string,
  label: string,
  status: CheckStatus,
  detail: string,
  hint: string | null = null
): CheckResult {
  return { id, label, status, detail, hint }
}

async function checkNode() {
  const major = Number(process.versions.node.split('.')[0])
  return major >= 24
    ? result('node', 'Node.js', 'ok', `v${process.versions.node}`)
    : result(
        'node',
        'Node.js',
        'fail',
        `v${process.versions.node}`,
        'Ratusz needs Node 24: run it through ./ace or the systemd units, which use node_modules/.bin/node.'
      )
}

async function checkDisk() {
  const fs = await statfs(ratuszConfig.dataDir)
  const free = fs.bavail * fs.bsize
  const share = fs.bavail / fs.blocks
  const detail = `${gb(free)} free (${Math.round(share * 100)} %) on the data disk`
  if (free < 1024 ** 3 || share < 0.05) {
    return result(
      'disk',
      'Free disk space',
      'fail',
      detail,
      'Free space on the data disk or enlarge it: backups and uploads stop when it is full.'
    )
  }
  if (share < 0.15)
    return result(
      'disk',
      'Free disk space',
      'warn',
      detail,
      'Less than 15 % free: plan more space.'
    )
  return result('disk', 'Free disk space', 'ok', detail)
}

async function checkPermissions() {
  const problems: string[] = []
  const data = await stat(ratuszConfig.dataDir)
  if (data.mode & 0o007)
    problems.push(
      `${ratuszConfig.dataDir} is open to other users (${(data.mode & 0o777).toString(8)})`
    )
  for (const file of [applianceConfig.envFile, applianceConfig.backup.passwordFile]) {
    if (!existsSync(file)) continue
    const info = await stat(file)
    const mode = info.mode & 0o777
    if (mode & 0o077) problems.push(`${file} is ${mode.toString(8)}, not 600`)
  }
  if (!problems.length)
    return result('permissions', 'Permissions', 'ok', 'data and secrets are private')
  const secretsOpen = problems.some((p) => p.includes('not 600'))
  return result(
    'permissions',
    'Permissions',
    secretsOpen ? 'fail' : 'warn',
    problems.join('; '),
    `chmod 600 on the secret files and chmod 750 ${ratuszConfig.dataDir} ('ratusz install' repairs both).`
  )
}

async function checkConfig() {
  const problems: string[] = []
  if ((process.env.APP_KEY ?? '').length < 32)
    problems.push('APP_KEY is shorter than 32 characters')
  if (app.inProduction) {
    if (!process.env.APP_URL) problems.push('APP_URL is not set')
    if (ratuszConfig.mailMode !== 'smtp')
      problems.push('MAIL_MODE is not smtp: no e-mail leaves the server')
    if (!applianceConfig.adminEmail)
      problems.push('RATUSZ_ADMIN_EMAIL is empty: nobody hears about failed backups')
  }
  return problems.length
    ? result(
        'config',
        'Configuration',
        'warn',
        problems.join('; '),
        `Edit ${applianceConfig.envFile} and restart the services.`
      )
    : result('config', 'Configuration', 'ok', 'environment valid')
}

async function checkDatabase() {
  const client = db.connection()
  try {
    await client.rawQuery('SELECT 1')
  } catch (error) {
    return result(
      'database',
      'Database',
      'fail',
      (error as Error).message,
      'Check DB_CONNECTION and the PG_* settings; for PostgreSQL: systemctl status postgresql.'
    )
  }
  const entries = await readdir(join(app.appRoot.pathname, 'database/migrations'))
  const files = entries.filter((f) => /\.(ts|js)$/.test(f)).map((f) => f.replace(/\.(ts|js)$/, ''))
  const appliedRows = await client.from('adonis_schema').select('name')
  const applied = new Set(appliedRows.map((r: { name: string }) => r.name.split('/').at(-1)))
  const pending = files.filter((f) => !applied.has(f))
  return pending.length
    ? result(
        'database',
        'Database and migrations',
        'fail',
        `${pending.length} migration(s) pending: ${pending.slice(0, 3).join(', ')}`,
        'Run: ratusz install (or ./ace migration:run --force), then restart ratusz-web.'
      )
    : result(
        'database',
        'Database and migrations',
        'ok',
        `${client.connectionName}, ${files.length} migrations applied`
      )
}

async function checkBackupAge() {
  const status = await backupService.status()
  const maxHours = applianceConfig.backup.maxAgeHours
  const last = status.runs.at(-1)
  if (!status.lastSuccessAt) {
    return result(
      'backup-age',
      'Last backup',
      'fail',
      'no backup has succeeded yet',
      'Run: ratusz backup run (and check the timer: systemctl status ratusz-backup.timer).'
    )
  }
  const hours = (Date.now() - Date.parse(status.lastSuccessAt)) / 3_600_000
  const detail = `last successful backup ${hours.toFixed(0)} h ago (${status.lastSuccessAt.slice(0, 16).replace('T', ' ')} UTC)`
  if (hours > maxHours) {
    return result(
      'backup-age',
      'Last backup',
      'fail',
      detail,
      `No backup for over ${maxHours} h: run 'ratusz backup run' and read its error; check the backup disk.`
    )
  }
  if (last && last.result !== 'ok') {
    return result(
      'backup-age',
      'Last backup',
      'warn',
      `${detail}; the latest run ${last.result}: ${last.error}`,
      'Read the error above; run: ratusz backup run'
    )
  }
  if (status.partnerError) {
    return result(
      'backup-age',
      'Last backup',
      'warn',
      `${detail}; partner copy failed: ${status.partnerError}`,
      'Check the VPN to the partner gmina and its repository.'
    )
  }
  return result('backup-age', 'Last backup', 'ok', detail)
}

async function checkBackupRepository() {
  const restic = backupService.primary()
  try {
    restic.assertDiskPresent()
    if (!(await restic.exists())) {
      return result(
        'backup-repository',
        'Backup repository',
        'fail',
        `no repository at ${restic.options.repository}`,
        'Mount the backup disk; a new repository is made only by the first backup.'
      )
    }
  } catch (error) {
    return result(
      'backup-repository',
      'Backup repository',
      'fail',
      (error as Error).message,
      'Connect and mount the backup disk (see /etc/fstab), then: ratusz backup run'
    )
  }
  const status = await backupService.status()
  if (status.lastCheck && !status.lastCheck.ok) {
    return result(
      'backup-repository',
      'Backup repository',
      'fail',
      `restic check failed on ${status.lastCheck.at.slice(0, 10)}: ${status.lastCheck.error}`,
      'Run: ratusz backup check; if it still fails, start a new repository on another disk.'
    )
  }
  return result(
    'backup-repository',
    'Backup repository',
    'ok',
    `${restic.options.repository}${status.lastCheck ? `, checked ${status.lastCheck.at.slice(0, 10)}` : ', not checked yet'}`
  )
}

async function checkSeparateDisk() {
  const restic = backupService.primary()
  if (!restic.isLocal)
    return result('backup-disk', 'Separate backup disk', 'ok', 'remote repository')
  const path = existsSync(restic.localPath) ? restic.localPath : dirname(restic.localPath)
  if (!existsSync(path))
    return result(
      'backup-disk',
      'Separate backup disk',
      'fail',
      `${path} is missing`,
      'Connect and mount the backup disk.'
    )
  const [a, b] = await Promise.all([stat(path), stat(ratuszConfig.dataDir)])
  return a.dev === b.dev
    ? result(
        'backup-disk',
        'Separate backup disk',
        'warn',
        `${path} is on the same disk as the data`,
        'Put the repository on a second disk in another room: a failed disk or a fire takes both otherwise.'
      )
    : result('backup-disk', 'Separate backup disk', 'ok', `${path} is on its own disk`)
}

async function checkVpn() {
  const iface = applianceConfig.vpn.iface
  if (!existsSync(`/etc/wireguard/${iface}.conf`)) {
    return result('vpn', 'VPN (WireGuard)', 'ok', 'not configured on this machine')
  }
  const show = await run('wg', ['show', iface, 'dump'])
  if (show.code !== 0) {
    return result(
      'vpn',
      'VPN (WireGuard)',
      'fail',
      `interface ${iface} is down`,
      `Run: systemctl restart wg-quick@${iface}; journalctl -u wg-quick@${iface}`
    )
  }
  const peers = show.stdout.trim().split('\n').slice(1).filter(Boolean)
  const recent = peers.filter((line) => Date.now() / 1000 - Number(line.split('\t')[4]) < 180)
  return result(
    'vpn',
    'VPN (WireGuard)',
    'ok',
    `${iface} up, ${peers.length} peer(s), ${recent.length} connected now`
  )
}

async function checkTls() {
  if (process.env.TLS !== 'true')
    return result('tls', 'TLS certificate', 'ok', 'TLS not used (TLS=false)')
  const host = process.env.RATUSZ_HOSTNAME ?? ''
  const roots = ['/var/lib/caddy/.local/share/caddy/certificates']
  for (const root of roots) {
    if (!existsSync(root)) continue
    for (const issuer of await readdir(root)) {
      const file = join(root, issuer, host, `${host}.crt`)
      if (!existsSync(file)) continue
      const cert = new X509Certificate(await readFile(file))
      const days = (Date.parse(cert.validTo) - Date.now()) / 86_400_000
      const detail = `${host}: valid until ${cert.validTo} (${Math.floor(days)} days)`
      if (days < 0)
        return result(
          'tls',
          'TLS certificate',
          'fail',
          detail,
          'Caddy could not renew: journalctl -u caddy'
        )
      if (days < 14)
        return result(
          'tls',
          'TLS certificate',
          'warn',
          detail,
          'Renewal is overdue: journalctl -u caddy'
        )
      return result('tls', 'TLS certificate', 'ok', detail)
    }
  }
  return result(
    'tls',
    'TLS certificate',
    'warn',
    `no certificate for ${host || '(RATUSZ_HOSTNAME unset)'} found`,
    'Check that Caddy runs (systemctl status caddy) and the name points to this server.'
  )
}

async function checkClock() {
  const show = await run('timedatectl', ['show', '-p', 'NTPSynchronized', '--value'])
  if (show.code === 0 && show.stdout.trim() === 'yes')
    return result('clock', 'Clock', 'ok', 'synchronised (NTP)')
  return result(
    'clock',
    'Clock',
    'warn',
    show.code === 0 ? 'not synchronised' : 'cannot tell (timedatectl unavailable)',
    'Enable time sync: timedatectl set-ntp true (TOTP codes and dates depend on it).'
  )
}

const CHECKS = [
  checkNode,
  checkDisk,
  checkPermissions,
  checkConfig,
  checkDatabase,
  checkBackupAge,
  checkBackupRepository,
  checkSeparateDisk,
  checkVpn,
  checkTls,
  checkClock,
]

export async function runDoctor(): Promise<CheckResult[]> {
  const results: CheckResult[] = []
  for (const check of CHECKS) {
    try {
      results.push(await check())
    } catch (error) {
      results.push(
        result(
          check.name.replace(/^check/, '').toLowerCase(),
          check.name.replace(/^check/, ''),
          'fail',
          (error as Error).message,
          'Unexpected error: see the message.'
        )
      )
    }
  }
  return results
}

export function formatDoctor(results: CheckResult[]) {
  const width = Math.max(...results.map((r) => r.label.length))
  const lines = results.map((r) => {
    const line = `${r.status.toUpperCase().padEnd(4)}  ${r.label.padEnd(width)}  ${r.detail}`
    return r.hint && r.status !== 'ok' ? `${line}\n${' '.repeat(width + 8)}-> ${r.hint}` : line
  })
  const fails = results.filter((r) => r.status === 'fail').length
  const warns = results.filter((r) => r.status === 'warn').length
  lines.push(`doctor: ${fails} FAIL, ${warns} WARN, ${results.length - fails - warns} OK`)
  return lines.join('\n')
}
