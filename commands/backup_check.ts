import { BaseCommand, flags } from '@adonisjs/core/ace'
import type { CommandOptions } from '@adonisjs/core/types/ace'

export default class BackupCheck extends BaseCommand {
  static commandName = 'backup:check'
  static description = 'Verify the backup repository (restic check, reading a slice of the data)'
  static options: CommandOptions = { startApp: true }

  @flags.number({ description: 'Read 1/N of the data (default 10)' })
  declare readData?: number

  async run() {
    const { default: backupService } = await import('#appliance/services/backup_service')
    const result = await backupService.check(`1/${this.readData ?? 10}`)
    if (result?.ok) process.stdout.write('repository check OK\n')
    else {
      process.stderr.write(`repository check FAILED: ${result?.error}\n`)
      this.exitCode = 1
    }
  }
}
