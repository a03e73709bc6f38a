import { BaseCommand } from '@adonisjs/core/ace'
import type { CommandOptions } from '@adonisjs/core/types/ace'

export default class BackupForget extends BaseCommand {
  static commandName = 'backup:forget'
  static description = 'Apply the retention policy (daily/weekly/monthly keeps) and prune'
  static options: CommandOptions = { startApp: true }

  async run() {
    const { default: backupService } = await import('#appliance/services/backup_service')
    try {
      const { kept, removed } = await backupService.forget()
      process.stdout.write(`retention: ${kept.length} kept, ${removed.length} removed\n`)
    } catch (error) {
      process.stderr.write(`${(error as Error).message}\n`)
      this.exitCode = 1
    }
  }
}
