import { BaseCommand, flags } from '@adonisjs/core/ace'
import type { CommandOptions } from '@adonisjs/core/types/ace'

/**
 * What the hourly job does, on demand. Exit codes: 0 a backup succeeded recently enough,
 * 1 none for RATUSZ_BACKUP_MAX_AGE_HOURS (the administrator is mailed once a day).
 */
export default class BackupAlerts extends BaseCommand {
  static commandName = 'backup:alerts'
  static description =
    'Mail the administrator (once a day) when no backup succeeded for RATUSZ_BACKUP_MAX_AGE_HOURS'
  static options: CommandOptions = { startApp: true }

  @flags.boolean({ description: 'Print the result as JSON' })
  declare json: boolean

  async run() {
    const { default: backupService } = await import('#appliance/services/backup_service')
    const result = await backupService.alertIfStale()
    if (this.json) process.stdout.write(`${JSON.stringify(result)}\n`)
    else {
      process.stdout.write(
        `last successful backup (or data directory creation): ${result.since}, ${result.ageHours.toFixed(1)} h ago: ${result.stale ? 'STALE' : 'fresh'}${result.stale ? (result.mailed ? '; administrator mailed (once a day)' : '; RATUSZ_ADMIN_EMAIL not set, nobody mailed') : ''}\n`
      )
    }
    if (result.stale) this.exitCode = 1
  }
}
