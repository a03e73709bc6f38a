import { BaseCommand } from '@adonisjs/core/ace'
import type { CommandOptions } from '@adonisjs/core/types/ace'

export default class BackupCopy extends BaseCommand {
  static commandName = 'backup:copy'
  static description = "Copy new snapshots to the partner gmina's repository (restic copy)"
  static options: CommandOptions = { startApp: true }

  async run() {
    const { default: backupService } = await import('#appliance/services/backup_service')
    try {
      await backupService.copyToPartner()
      process.stdout.write('partner copy OK\n')
    } catch (error) {
      process.stderr.write(`partner copy FAILED: ${(error as Error).message}\n`)
      this.exitCode = 1
    }
  }
}
