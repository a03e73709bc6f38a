import { BaseCommand, flags } from '@adonisjs/core/ace'
import type { CommandOptions } from '@adonisjs/core/types/ace'

/** Exit codes: 0 backed up, 1 failed (no snapshot), 3 partial snapshot (some files unreadable). */
export default class BackupRun extends BaseCommand {
  static commandName = 'backup:run'
  static description = 'Back up the database and files with restic now, then apply retention'
  static options: CommandOptions = { startApp: true }

  @flags.string({ description: 'Extra tag for the snapshot (e.g. pre-update)' })
  declare tag?: string

  @flags.boolean({ description: 'Print the result as one line of JSON' })
  declare json: boolean

  async run() {
    const { default: backupService } = await import('#appliance/services/backup_service')
    const record = await backupService.run({ tag: this.tag })
    if (this.json) process.stdout.write(`${JSON.stringify(record)}\n`)
    if (record.result === 'ok') {
      if (!this.json) {
        process.stdout.write(
          `backup OK: snapshot ${record.snapshot?.slice(0, 8)}, ${record.files} files, ${(record.bytesProcessed / 1e6).toFixed(1)} MB processed, ${(record.bytesAdded / 1e6).toFixed(1)} MB new, ${(record.durationMs / 1000).toFixed(1)} s${record.partner ? `; partner copy ${record.partner}` : ''}\n`
        )
      }
      if (record.partner === 'failed') {
        const status = await backupService.status()
        process.stderr.write(`partner copy FAILED: ${status.partnerError}\n`)
      }
      return
    }
    process.stderr.write(`backup ${record.result.toUpperCase()}: ${record.error}\n`)
    this.exitCode = record.result === 'partial' ? 3 : 1
  }
}
