import { BaseCommand, args, flags } from '@adonisjs/core/ace'
import type { CommandOptions } from '@adonisjs/core/types/ace'

/**
 * Exit codes: 0 copied and verified (configuration updated), 1 refused or failed (the
 * target is rolled back, the configuration unchanged), 2 bad usage.
 */
export default class DbSwitch extends BaseCommand {
  static commandName = 'db:switch'
  static description = 'Copy every table to the other database (pg or sqlite), verify, and switch'
  static options: CommandOptions = { startApp: true }

  @args.string({ description: 'Target database: pg or sqlite', required: false })
  declare target?: string

  @flags.boolean({ description: 'Print the report (tables, rows, checksums) as JSON' })
  declare json: boolean

  async run() {
    if (this.target !== 'pg' && this.target !== 'sqlite') {
      process.stderr.write('Give the target database: db:switch pg or db:switch sqlite.\n')
      this.exitCode = 2
      return
    }
    const target = this.target
    const { switchDatabase } = await import('#appliance/services/db_switch')
    const { default: applianceConfig } = await import('#config/appliance')
    try {
      const report = await switchDatabase(target, {
        envFile: applianceConfig.envFile,
        log: (line) => process.stdout.write(`${line}\n`),
        migrate: async () => {
          const migration = await this.kernel.exec('migration:run', [
            '--force',
            '--connection',
            target,
          ])
          if (migration.exitCode) throw new Error(`migrations on ${target} failed`)
        },
        unmigrate: async () => {
          await this.kernel.exec('migration:reset', ['--force', '--connection', target])
        },
      })
      if (this.json) process.stdout.write(`${JSON.stringify(report)}\n`)
      const rows = report.tables.reduce((sum, t) => sum + t.rows, 0)
      process.stdout.write(
        `switched ${report.from} -> ${report.to}: ${report.tables.length} tables, ${rows} rows, checksums equal, ${(report.durationMs / 1000).toFixed(1)} s\n`
      )
      process.stdout.write(
        `DB_CONNECTION=${target} written to ${applianceConfig.envFile} (when present); restart: systemctl restart ratusz-web ratusz-worker\n`
      )
    } catch (error) {
      process.stderr.write(`db:switch FAILED: ${(error as Error).message}\n`)
      this.exitCode = 1
    }
  }
}
