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
import { ResticError } from '#appliance/services/restic'
import { type MinuteRecord, readEventLoopRecords } from '#core/services/event_loop_monitor'
import { EVENT_LOOP_P99_LIMIT_MS } from '#core/services/server_health'
import { type CommitFailureEpisode, readCommitFailures } from '#core/services/commit_failures'

export type CheckStatus = 'ok' | 'warn' | 'fail'

export interface CheckResult {
  id: string
  label: string
  status: CheckStatus
  detail: string
  hint: string | null
  /** The same detail and hint in Polish for the admin page; the CLI prints English only. */
  pl?: { detail: string; hint: string | null }
}

/** Polish detail and hint of a check; the hint defaults to none. */
function pl(detail: string, hint: string | null = null) {
  return { detail, hint }
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
  hint: string | null = null,
  polish?: { detail: string; hint: string | null }
): CheckResult {
  return { id, label, status, detail, hint, ...(polish ? { pl: polish } : {}) }
}

const gbPl = (bytes: number) => `${(bytes / 1024 ** 3).toFixed(1).replace('.', ',')} GB`

async function checkNode() {
  const major = Number(process.versions.node.split('.')[0])
  return major >= 24
    ? result(
        'node',
        'Node.js',
        'ok',
        `v${process.versions.node}`,
        null,
        pl(`v${process.versions.node}`)
      )
    : result(
        'node',
        'Node.js',
        'fail',
        `v${process.versions.node}`,
        'Ratusz needs Node 24: run it through ./ace or the systemd units, which use node_modules/.bin/node.',
        pl(
          `v${process.versions.node}`,
          'Ratusz wymaga Node 24: uruchamiaj go przez ./ace lub usługi systemd, które używają node_modules/.bin/node.'
        )
      )
}

async function checkDisk() {
  const fs = await statfs(ratuszConfig.dataDir)
  const free = fs.bavail * fs.bsize
  const share = fs.bavail / fs.blocks
  const detail = `${gb(free)} free (${Math.round(share * 100)} %) on the data disk`
  const detailPl = `${gbPl(free)} wolnego miejsca (${Math.round(share * 100)} %) na dysku z danymi`
  if (free < 1024 ** 3 || share < 0.05) {
    return result(
      'disk',
      'Free disk space',
      'fail',
      detail,
      'Free space on the data disk or enlarge it: backups and uploads stop when it is full.',
      pl(
        detailPl,
        'Zwolnij miejsce na dysku z danymi lub go powiększ: po zapełnieniu przestaną działać kopie i przyjmowanie plików.'
      )
    )
  }
  if (share < 0.15)
    return result(
      'disk',
      'Free disk space',
      'warn',
      detail,
      'Less than 15 % free: plan more space.',
      pl(detailPl, 'Wolne jest mniej niż 15 %: zaplanuj powiększenie dysku.')
    )
  return result('disk', 'Free disk space', 'ok', detail, null, pl(detailPl))
}

async function checkPermissions() {
  const problems: string[] = []
  const problemsPl: string[] = []
  const data = await stat(ratuszConfig.dataDir)
  if (data.mode & 0o007) {
    problems.push(
      `${ratuszConfig.dataDir} is open to other users (${(data.mode & 0o777).toString(8)})`
    )
    problemsPl.push(
      `${ratuszConfig.dataDir} jest dostępny dla innych użytkowników (${(data.mode & 0o777).toString(8)})`
    )
  }
  for (const file of [applianceConfig.envFile, applianceConfig.backup.passwordFile]) {
    if (!existsSync(file)) continue
    const info = await stat(file)
    const mode = info.mode & 0o777
    if (mode & 0o077) {
      problems.push(`${file} is ${mode.toString(8)}, not 600`)
      problemsPl.push(`${file} ma uprawnienia ${mode.toString(8)} zamiast 600`)
    }
  }
  if (!problems.length)
    return result(
      'permissions',
      'Permissions',
      'ok',
      'data and secrets are private',
      null,
      pl('dane i pliki z sekretami są dostępne tylko dla Ratusza')
    )
  const secretsOpen = problems.some((p) => p.includes('not 600'))
  return result(
    'permissions',
    'Permissions',
    secretsOpen ? 'fail' : 'warn',
    problems.join('; '),
    `chmod 600 on the secret files and chmod 750 ${ratuszConfig.dataDir} ('ratusz install' repairs both).`,
    pl(
      problemsPl.join('; '),
      `Wykonaj chmod 600 na plikach z sekretami i chmod 750 ${ratuszConfig.dataDir} (naprawia to też „ratusz install”).`
    )
  )
}

async function checkConfig() {
  const problems: string[] = []
  const problemsPl: string[] = []
  const problem = (en: string, polish: string) => {
    problems.push(en)
    problemsPl.push(polish)
  }
  if ((process.env.APP_KEY ?? '').length < 32)
    problem('APP_KEY is shorter than 32 characters', 'APP_KEY ma mniej niż 32 znaki')
  if (app.inProduction) {
    if (!process.env.APP_URL) problem('APP_URL is not set', 'nie ustawiono APP_URL')
    if (ratuszConfig.mailMode !== 'smtp')
      problem(
        'MAIL_MODE is not smtp: no e-mail leaves the server',
        'MAIL_MODE nie jest smtp: żaden e-mail nie wychodzi z serwera'
      )
    if (!applianceConfig.adminEmail)
      problem(
        'RATUSZ_ADMIN_EMAIL is empty: nobody hears about failed backups',
        'RATUSZ_ADMIN_EMAIL jest pusty: nikt nie dowie się o nieudanych kopiach'
      )
  }
  return problems.length
    ? result(
        'config',
        'Configuration',
        'warn',
        problems.join('; '),
        `Edit ${applianceConfig.envFile} and restart the services.`,
        pl(problemsPl.join('; '), `Popraw ${applianceConfig.envFile} i uruchom ponownie usługi.`)
      )
    : result('config', 'Configuration', 'ok', 'environment valid', null, pl('ustawienia poprawne'))
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
      'Check DB_CONNECTION and the PG_* settings; for PostgreSQL: systemctl status postgresql.',
      pl(
        `brak połączenia z bazą danych: ${(error as Error).message}`,
        'Sprawdź DB_CONNECTION i ustawienia PG_*; dla PostgreSQL: systemctl status postgresql.'
      )
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
        'Run: ratusz install (or ./ace migration:run --force), then restart ratusz-web.',
        pl(
          `oczekujące migracje: ${pending.length} (${pending.slice(0, 3).join(', ')})`,
          'Wykonaj: ratusz install (albo ./ace migration:run --force), potem uruchom ponownie ratusz-web.'
        )
      )
    : result(
        'database',
        'Database and migrations',
        'ok',
        `${client.connectionName}, ${files.length} migrations applied`,
        null,
        pl(`${client.connectionName}, wykonane migracje: ${files.length}`)
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
      'Run: ratusz backup run (and check the timer: systemctl status ratusz-backup.timer).',
      pl(
        'nie wykonano jeszcze żadnej udanej kopii',
        'Wykonaj: ratusz backup run (i sprawdź harmonogram: systemctl status ratusz-backup.timer).'
      )
    )
  }
  const hours = (Date.now() - Date.parse(status.lastSuccessAt)) / 3_600_000
  const when = `${status.lastSuccessAt.slice(0, 16).replace('T', ' ')} UTC`
  const detail = `last successful backup ${hours.toFixed(0)} h ago (${when})`
  const detailPl = `ostatnia udana kopia ${hours.toFixed(0)} godz. temu (${when})`
  if (hours > maxHours) {
    return result(
      'backup-age',
      'Last backup',
      'fail',
      detail,
      `No backup for over ${maxHours} h: run 'ratusz backup run' and read its error; check the backup disk.`,
      pl(
        detailPl,
        `Brak kopii od ponad ${maxHours} godz.: wykonaj „ratusz backup run” i przeczytaj komunikat błędu; sprawdź dysk kopii.`
      )
    )
  }
  if (last && last.result !== 'ok') {
    return result(
      'backup-age',
      'Last backup',
      'warn',
      `${detail}; the latest run ${last.result}: ${last.error}`,
      'Read the error above; run: ratusz backup run',
      pl(
        `${detailPl}; ostatnia próba: ${last.result === 'partial' ? 'niepełna' : 'nieudana'}: ${last.error}`,
        'Przeczytaj komunikat błędu powyżej; wykonaj: ratusz backup run'
      )
    )
  }
  if (status.partnerError) {
    return result(
      'backup-age',
      'Last backup',
      'warn',
      `${detail}; partner copy failed: ${status.partnerError}`,
      'Check the VPN to the partner gmina and its repository.',
      pl(
        `${detailPl}; kopia u gminy partnerskiej nie powiodła się: ${status.partnerError}`,
        'Sprawdź połączenie VPN z gminą partnerską i jej repozytorium.'
      )
    )
  }
  return result('backup-age', 'Last backup', 'ok', detail, null, pl(detailPl))
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
        'Mount the backup disk; a new repository is made only by the first backup.',
        pl(
          `brak repozytorium w ${restic.options.repository}`,
          'Zamontuj dysk kopii; nowe repozytorium powstaje tylko przy pierwszej kopii.'
        )
      )
    }
  } catch (error) {
    return result(
      'backup-repository',
      'Backup repository',
      'fail',
      (error as Error).message,
      'Connect and mount the backup disk (see /etc/fstab), then: ratusz backup run',
      pl(
        error instanceof ResticError && error.kind === 'disk-missing'
          ? `dysk kopii jest niedostępny: brak ${dirname(restic.localPath)}`
          : `repozytorium kopii jest niedostępne: ${(error as Error).message}`,
        'Podłącz i zamontuj dysk kopii (zob. /etc/fstab), potem wykonaj: ratusz backup run'
      )
    )
  }
  const status = await backupService.status()
  if (status.lastCheck && !status.lastCheck.ok) {
    return result(
      'backup-repository',
      'Backup repository',
      'fail',
      `restic check failed on ${status.lastCheck.at.slice(0, 10)}: ${status.lastCheck.error}`,
      'Run: ratusz backup check; if it still fails, start a new repository on another disk.',
      pl(
        `sprawdzenie repozytorium (restic check) ${status.lastCheck.at.slice(0, 10)} wykazało błąd: ${status.lastCheck.error}`,
        'Wykonaj: ratusz backup check; jeśli błąd się powtarza, załóż nowe repozytorium na innym dysku.'
      )
    )
  }
  return result(
    'backup-repository',
    'Backup repository',
    'ok',
    `${restic.options.repository}${status.lastCheck ? `, checked ${status.lastCheck.at.slice(0, 10)}` : ', not checked yet'}`,
    null,
    pl(
      `${restic.options.repository}${status.lastCheck ? `, sprawdzone ${status.lastCheck.at.slice(0, 10)}` : ', jeszcze niesprawdzane'}`
    )
  )
}

async function checkSeparateDisk() {
  const restic = backupService.primary()
  if (!restic.isLocal)
    return result(
      'backup-disk',
      'Separate backup disk',
      'ok',
      'remote repository',
      null,
      pl('repozytorium zdalne')
    )
  const path = existsSync(restic.localPath) ? restic.localPath : dirname(restic.localPath)
  if (!existsSync(path))
    return result(
      'backup-disk',
      'Separate backup disk',
      'fail',
      `${path} is missing`,
      'Connect and mount the backup disk.',
      pl(`brak ${path}`, 'Podłącz i zamontuj dysk kopii.')
    )
  const [a, b] = await Promise.all([stat(path), stat(ratuszConfig.dataDir)])
  return a.dev === b.dev
    ? result(
        'backup-disk',
        'Separate backup disk',
        'warn',
        `${path} is on the same disk as the data`,
        'Put the repository on a second disk in another room: a failed disk or a fire takes both otherwise.',
        pl(
          `${path} jest na tym samym dysku co dane`,
          'Umieść repozytorium na drugim dysku w innym pomieszczeniu: awaria dysku lub pożar zniszczą inaczej jedno i drugie.'
        )
      )
    : result(
        'backup-disk',
        'Separate backup disk',
        'ok',
        `${path} is on its own disk`,
        null,
        pl(`${path} jest na osobnym dysku`)
      )
}

async function checkVpn() {
  const iface = applianceConfig.vpn.iface
  if (!existsSync(`/etc/wireguard/${iface}.conf`)) {
    return result(
      'vpn',
      'VPN (WireGuard)',
      'ok',
      'not configured on this machine',
      null,
      pl('nie skonfigurowano na tym serwerze')
    )
  }
  const show = await run('wg', ['show', iface, 'dump'])
  if (show.code !== 0) {
    return result(
      'vpn',
      'VPN (WireGuard)',
      'fail',
      `interface ${iface} is down`,
      `Run: systemctl restart wg-quick@${iface}; journalctl -u wg-quick@${iface}`,
      pl(
        `interfejs ${iface} nie działa`,
        `Wykonaj: systemctl restart wg-quick@${iface}; journalctl -u wg-quick@${iface}`
      )
    )
  }
  const peers = show.stdout.trim().split('\n').slice(1).filter(Boolean)
  const recent = peers.filter((line) => Date.now() / 1000 - Number(line.split('\t')[4]) < 180)
  return result(
    'vpn',
    'VPN (WireGuard)',
    'ok',
    `${iface} up, ${peers.length} peer(s), ${recent.length} connected now`,
    null,
    pl(`${iface} działa, urządzenia: ${peers.length}, teraz połączone: ${recent.length}`)
  )
}

async function checkTls() {
  if (process.env.TLS !== 'true')
    return result(
      'tls',
      'TLS certificate',
      'ok',
      'TLS not used (TLS=false)',
      null,
      pl('TLS nie jest używany (TLS=false)')
    )
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
      const detailPl = `${host}: ważny do ${cert.validTo} (dni: ${Math.floor(days)})`
      if (days < 0)
        return result(
          'tls',
          'TLS certificate',
          'fail',
          detail,
          'Caddy could not renew: journalctl -u caddy',
          pl(detailPl, 'Caddy nie zdołał odnowić certyfikatu: journalctl -u caddy')
        )
      if (days < 14)
        return result(
          'tls',
          'TLS certificate',
          'warn',
          detail,
          'Renewal is overdue: journalctl -u caddy',
          pl(detailPl, 'Odnowienie certyfikatu jest spóźnione: journalctl -u caddy')
        )
      return result('tls', 'TLS certificate', 'ok', detail, null, pl(detailPl))
    }
  }
  return result(
    'tls',
    'TLS certificate',
    'warn',
    `no certificate for ${host || '(RATUSZ_HOSTNAME unset)'} found`,
    'Check that Caddy runs (systemctl status caddy) and the name points to this server.',
    pl(
      `nie znaleziono certyfikatu dla ${host || '(nie ustawiono RATUSZ_HOSTNAME)'}`,
      'Sprawdź, czy Caddy działa (systemctl status caddy) i czy nazwa wskazuje na ten serwer.'
    )
  )
}

async function checkClock() {
  const show = await run('timedatectl', ['show', '-p', 'NTPSynchronized', '--value'])
  if (show.code === 0 && show.stdout.trim() === 'yes')
    return result('clock', 'Clock', 'ok', 'synchronised (NTP)', null, pl('zsynchronizowany (NTP)'))
  return result(
    'clock',
    'Clock',
    'warn',
    show.code === 0 ? 'not synchronised' : 'cannot tell (timedatectl unavailable)',
    'Enable time sync: timedatectl set-ntp true (TOTP codes and dates depend on it).',
    pl(
      show.code === 0 ? 'niezsynchronizowany' : 'nie da się sprawdzić (brak timedatectl)',
      'Włącz synchronizację czasu: timedatectl set-ntp true (zależą od niej kody TOTP i daty).'
    )
  )
}

const WINDOW_MS = 5 * 60_000

/**
 * Event-loop delay of the web server over the last 5 minutes, from the minute
 * records it writes to RATUSZ_DATA. The newest record carries the p99 of the
 * 5-minute window ending with it, computed from the full histograms; the
 * per-minute figures name the worst minute.
 */
export function eventLoopCheck(records: readonly MinuteRecord[], now = Date.now()): CheckResult {
  const label = 'Event-loop delay'
  /* Minutes that ended within the last 5 minutes. */
  const recent = records.filter((r) => Date.parse(r.minute) + 60_000 > now - WINDOW_MS)
  const newest = recent.at(-1)
  if (!newest) {
    return result(
      'event-loop',
      label,
      'warn',
      'no figures from the last 5 minutes: the web server is not running, started less than a minute ago, or cannot write to the data directory',
      'Check the web server: systemctl status ratusz-web; journalctl -u ratusz-web',
      pl(
        'brak pomiarów z ostatnich 5 minut: serwer WWW nie działa, ruszył przed chwilą albo nie może zapisywać w katalogu danych',
        'Sprawdź serwer WWW: systemctl status ratusz-web; journalctl -u ratusz-web'
      )
    )
  }
  const { p99Ms, minutes } = newest.last5Minutes
  const worst = recent.reduce((a, b) => (b.p99Ms > a.p99Ms ? b : a))
  const at = `${worst.minute.slice(11, 16)} UTC`
  const number = (value: number) => value.toFixed(1)
  const detail = `p99 ${number(p99Ms)} ms over the last ${minutes} min (limit ${EVENT_LOOP_P99_LIMIT_MS} ms); worst minute ${at}: p99 ${number(worst.p99Ms)} ms, max ${number(worst.maxMs)} ms`
  const detailPl = `p99 ${number(p99Ms).replace('.', ',')} ms w ostatnich ${minutes} min (limit ${EVENT_LOOP_P99_LIMIT_MS} ms); najgorsza minuta ${at}: p99 ${number(worst.p99Ms).replace('.', ',')} ms, maks. ${number(worst.maxMs).replace('.', ',')} ms`
  if (p99Ms > EVENT_LOOP_P99_LIMIT_MS) {
    return result(
      'event-loop',
      label,
      'warn',
      detail,
      `Event-loop delay p99 is above ${EVENT_LOOP_P99_LIMIT_MS} ms: something blocks the web server (a long report, export or import, or too little CPU). See /up?deep=1 as administrator and journalctl -u ratusz-web for those minutes; move long work to the queue worker or give the server more CPU.`,
      pl(
        detailPl,
        `Opóźnienie pętli zdarzeń (p99) przekracza ${EVENT_LOOP_P99_LIMIT_MS} ms: coś blokuje serwer WWW (długi raport, eksport lub import albo za mało mocy procesora). Zajrzyj do /up?deep=1 jako administrator i do journalctl -u ratusz-web z tych minut; długie zadania przenieś do kolejki albo daj serwerowi więcej procesora.`
      )
    )
  }
  return result('event-loop', label, 'ok', detail, null, pl(detailPl))
}

async function checkEventLoop() {
  return eventLoopCheck(await readEventLoopRecords())
}

const RECENT_MS = 7 * 24 * 3_600_000

/** Failed commits the web server or worker recorded: FAIL while writes are refused, WARN for a week after. */
export function commitCheck(episode: CommitFailureEpisode | null, now = Date.now()): CheckResult {
  const label = 'Database writes'
  if (!episode)
    return result(
      'commits',
      label,
      'ok',
      'no failed commit recorded',
      null,
      pl('nie odnotowano nieudanego zapisu')
    )
  const what = `${episode.count} commit(s) failed from ${episode.firstAt} to ${episode.lastAt} (${episode.reason}): ${episode.message}`
  const whatPl = `${episode.count} transakcji nie zatwierdzono od ${episode.firstAt} do ${episode.lastAt} (${episode.reason}): ${episode.message}`
  if (!episode.recoveredAt)
    return result(
      'commits',
      label,
      'fail',
      `${what}; none has succeeded since`,
      'Writes are refused: free space on the data disk (df -h on RATUSZ_DATA), then read journalctl -u ratusz-web.',
      pl(
        `${whatPl}; od tej pory żadna się nie powiodła`,
        'Baza danych nie przyjmuje zapisów: zwolnij miejsce na dysku z danymi (df -h w RATUSZ_DATA) i przejrzyj journalctl -u ratusz-web.'
      )
    )
  if (now - Date.parse(episode.recoveredAt) < RECENT_MS)
    return result(
      'commits',
      label,
      'warn',
      `${what}; writes work again since ${episode.recoveredAt}`,
      'Users were told nothing was saved; find the cause (usually a full data disk) so it does not come back.',
      pl(
        `${whatPl}; zapisy działają znów od ${episode.recoveredAt}`,
        'Użytkownicy dostali komunikat, że nic nie zapisano; usuń przyczynę (zwykle pełny dysk z danymi), aby się nie powtórzyła.'
      )
    )
  return result(
    'commits',
    label,
    'ok',
    `last failed commit ${episode.lastAt}`,
    null,
    pl(`ostatni nieudany zapis ${episode.lastAt}`)
  )
}

async function checkCommits() {
  return commitCheck(await readCommitFailures())
}

const CHECKS = [
  checkNode,
  checkDisk,
  checkPermissions,
  checkConfig,
  checkDatabase,
  checkCommits,
  checkEventLoop,
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
          'Unexpected error: see the message.',
          pl(`nieoczekiwany błąd: ${(error as Error).message}`, 'Przeczytaj komunikat błędu.')
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
