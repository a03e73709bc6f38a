import { BaseCommand, flags } from '@adonisjs/core/ace'
import type { CommandOptions } from '@adonisjs/core/types/ace'

/** Exit codes: 0 the latest snapshot restores and matches its manifest, 1 otherwise. */
export default class BackupDrill extends BaseCommand {
  static commandName = 'backup:drill'
  static description =
    'Restore the latest snapshot into a temporary folder and compare it with the live data'
  static options: CommandOptions = { startApp: true }

  @flags.boolean({ description: 'Print the report as JSON' })
  declare json: boolean

  async run() {
    const { default: backupService } = await import('#appliance/services/backup_service')
    try {
      const report = await backupService.drill()
      if (this.json) process.stdout.write(`${JSON.stringify(report)}\n`)
      else {
        for (const t of report.tables) {
          process.stdout.write(
            `${t.name.padEnd(32)} snapshot ${String(t.snapshot).padStart(8)}  live ${String(t.live ?? '-').padStart(8)}\n`
          )
        }
        const f = report.files
        process.stdout.write(
          `files: ${f.restored} restored, ${f.same} equal to live, ${f.changedSince} changed since, ${f.missingLive} no longer live\n`
        )
        process.stdout.write(
          `drill ${report.problems.length ? 'FAILED' : 'OK'}: snapshot ${report.snapshot} in ${(report.durationMs / 1000).toFixed(1)} s\n`
        )
      }
      for (const problem of report.problems) process.stderr.write(`${problem}\n`)
      if (report.problems.length) this.exitCode = 1
    } catch (error) {
      process.stderr.write(`drill FAILED: ${(error as Error).message}\n`)
      this.exitCode = 1
    }
  }
}
