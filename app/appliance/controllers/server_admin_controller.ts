import type { HttpContext } from '@adonisjs/core/http'
import backupService from '#appliance/services/backup_service'
import { runDoctor } from '#appliance/services/doctor'
import type { ResticSnapshot } from '#appliance/services/restic'

const decimal = new Intl.NumberFormat('pl-PL', {
  minimumFractionDigits: 1,
  maximumFractionDigits: 1,
})

const CHECK_LABELS: Record<string, string> = {
  'node': 'Wersja Node.js',
  'disk': 'Wolne miejsce na dysku',
  'permissions': 'Uprawnienia plików',
  'config': 'Konfiguracja',
  'database': 'Baza danych i migracje',
  'event-loop': 'Opóźnienie pętli zdarzeń serwera WWW',
  'backup-age': 'Ostatnia kopia zapasowa',
  'backup-repository': 'Repozytorium kopii',
  'backup-disk': 'Osobny dysk na kopie',
  'vpn': 'VPN (WireGuard)',
  'tls': 'Certyfikat TLS',
  'clock': 'Zegar systemowy',
}

/** Administrator's server pages: backups and diagnostics (read-only; actions run from the CLI). */
export default class ServerAdminController {
  async backups({ view, bouncer }: HttpContext) {
    await bouncer.authorize('manageOffice')
    const status = await backupService.status()
    let snapshots: ResticSnapshot[] = []
    let repositoryError: string | null = null
    try {
      snapshots = await backupService.snapshots()
    } catch (error) {
      repositoryError = (error as Error).message
    }
    // restic 0.14 lists no sizes: they come from the run that made the snapshot, whose
    // summary may carry the short id.
    const runOf = (snapshot: ResticSnapshot) =>
      status.runs.find((r) => r.snapshot && snapshot.id.startsWith(r.snapshot)) ?? null
    return view.render('appliance/backups', {
      status,
      runs: [...status.runs].reverse().slice(0, 30),
      snapshots: [...snapshots].reverse().map((snapshot) => ({
        ...snapshot,
        run: runOf(snapshot),
      })),
      megabytes: (bytes: number) => `${decimal.format(bytes / 1e6)} MB`,
      seconds: (ms: number) => `${decimal.format(ms / 1000)} s`,
      repositoryError,
      repository: backupService.settings.repository,
      partner: backupService.settings.partnerRepository,
      keep: backupService.settings.keep,
    })
  }

  async diagnostics({ view, bouncer }: HttpContext) {
    await bouncer.authorize('manageOffice')
    const checks = await runDoctor()
    const results = checks.map((r) => ({
      status: r.status,
      label: CHECK_LABELS[r.id] ?? r.label,
      detail: r.pl?.detail ?? r.detail,
      hint: r.pl ? r.pl.hint : r.hint,
    }))
    return view.render('appliance/diagnostics', {
      results,
      fails: results.filter((r) => r.status === 'fail').length,
      warns: results.filter((r) => r.status === 'warn').length,
    })
  }
}
