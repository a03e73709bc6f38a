import { BaseCommand, flags } from '@adonisjs/core/ace'
import type { CommandOptions } from '@adonisjs/core/types/ace'

/**
 * Exit codes: 0 the sheet was written, 1 it could not be (no password file, unwritable path).
 * The password is never printed here: only on the sheet itself.
 */
export default class BackupSheet extends BaseCommand {
  static commandName = 'backup:sheet'
  static description =
    'Write the recovery sheet PDF (repository locations, password, restore steps) for the office safe'
  static options: CommandOptions = { startApp: true }

  @flags.string({
    description: 'Where to write the PDF (default: tmp/ in the data directory, never backed up)',
  })
  declare output?: string

  async run() {
    const { writeRecoverySheet } = await import('#appliance/services/recovery_sheet')
    try {
      const { path } = await writeRecoverySheet(this.output)
      process.stdout.write(
        `recovery sheet written to ${path} (mode 0600).\n` +
          `Print it, put it in the office safe, then delete the file: shred -u ${path}\n`
      )
    } catch (error) {
      process.stderr.write(`recovery sheet FAILED: ${(error as Error).message}\n`)
      this.exitCode = 1
    }
  }
}
