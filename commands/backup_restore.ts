import { BaseCommand, args, flags } from '@adonisjs/core/ace'
import type { CommandOptions } from '@adonisjs/core/types/ace'

/**
 * Restores a snapshot into a folder for inspection, or in place of the live data (the
 * services must be stopped first; `ratusz restore` does it) followed by migrations.
 */
export default class BackupRestore extends BaseCommand {
  static commandName = 'backup:restore'
  static description = 'Restore a backup snapshot in place or into a folder'
  static options: CommandOptions = { startApp: true }

  @args.string({ description: 'Snapshot id or "latest"', required: false })
  declare snapshot?: string

  @flags.string({ description: 'Restore into this folder for inspection' })
  declare target?: string

  @flags.boolean({ description: 'Replace the live data with the snapshot' })
  declare inPlace: boolean

  @flags.string({ description: 'Only snapshots with this tag (with "latest")' })
  declare tag?: string

  async run() {
    const { default: backupService } = await import('#appliance/services/backup_service')
    const snapshot = this.snapshot ?? 'latest'
    if (Boolean(this.target) === Boolean(this.inPlace)) {
      process.stderr.write('Give exactly one of --target DIR or --in-place.\n')
      this.exitCode = 2
      return
    }
    try {
      if (this.target) {
        const { restoredData, snapshot: chosen } = await backupService.restoreInto(
          snapshot,
          this.target,
          this.tag
        )
        process.stdout.write(
          `restored snapshot ${chosen.short_id} into ${restoredData} (database copy and manifest in backup-staging/)\n`
        )
        return
      }
      const manifest = await backupService.restoreInPlace(snapshot, this.tag)
      await this.kernel.exec('migration:run', ['--force'])
      process.stdout.write(
        `restored the snapshot of ${manifest.createdAt} (Ratusz ${manifest.version}) in place; migrations run\n`
      )
    } catch (error) {
      process.stderr.write(`restore FAILED: ${(error as Error).message}\n`)
      this.exitCode = 1
    }
  }
}
